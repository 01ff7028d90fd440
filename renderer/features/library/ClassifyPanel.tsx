// Classifying one recording (第四、二十一条), for 综合处 and department heads:
// 重点, its work type (or back to its checkout's), its level and a note; and
// its cases. Each change is one call the core audits; the page reloads from
// the answer. Raising a level to a secret one is confirmed first: from then on
// the clip is hidden from everyone a department head has not cleared, and only
// a head may lower it again.
import { useState } from 'react';
import type { CallInput } from '../../../shared/contract.js';
import type { WorkType } from '../../../shared/custody.js';
import { workTypes } from '../../../shared/custody.js';
import type { StationErrorBody } from '../../../shared/errors.js';
import type { ClipDetail, Confidentiality } from '../../../shared/library.js';
import { confidentialityLevels, isSecret } from '../../../shared/library.js';
import { useSession, useStation } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ConfirmDialog } from '../../app/ui/ConfirmDialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { NoteField, SelectField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { CaseLinkDialog } from './CaseLinkDialog.js';
import { levelText } from './words.js';

interface Form {
  workType: WorkType | '';
  level: Confidentiality;
  note: string;
}

export function ClassifyPanel({ clip, onChanged, onHidden }: { clip: ClipDetail; onChanged(): void; onHidden(level: Confidentiality): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { session } = useSession();
  const initial: Form = { workType: clip.workTypeOverridden && clip.workType ? clip.workType : '', level: clip.ownConfidentiality, note: clip.note ?? '' };
  const [form, setForm] = useState<Form>(initial);
  const [confirming, setConfirming] = useState(false);
  const [linking, setLinking] = useState<'existing' | 'new' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, fieldError, run } = useSubmit();

  const changes = {
    ...(form.workType !== initial.workType ? { workType: form.workType === '' ? null : form.workType } : {}),
    ...(form.level !== initial.level ? { confidentiality: form.level } : {}),
    ...(form.note.trim() !== initial.note.trim() ? { note: form.note.trim() === '' ? null : form.note.trim() } : {}),
  };
  const dirty = Object.keys(changes).length > 0;

  const classify = (input: Omit<CallInput<'library.classify'>, 'clipIds'>, message: string) =>
    run(
      () => client.call('library.classify', { clipIds: [clip.id], ...input }),
      () => {
        setDone(message);
        onChanged();
      },
    );

  const save = () => {
    if (!dirty) return;
    if (changes.confidentiality && isSecret(changes.confidentiality)) return setConfirming(true);
    void classify(changes, t('library.classify.saved'));
  };

  return (
    <div className="classify">
      <h3 className="classify-title">{t('library.classify.title')}</h3>
      <ErrorAlert error={error} />
      {done && !error && (
        <p className="alert alert-ok" role="status">
          {done}
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          className={`btn ${clip.important ? 'btn-secondary' : 'btn-primary'}`}
          disabled={busy}
          onClick={() => void classify({ important: !clip.important }, t(clip.important ? 'library.classify.unmarked' : 'library.classify.marked'))}
        >
          {t(clip.important ? 'library.classify.unmark' : 'library.classify.mark')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setLinking('existing')}>
          {t('library.cases.linkExisting')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={() => setLinking('new')}>
          {t('library.cases.create')}
        </button>
      </div>
      <form
        className="form classify-form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <div className="form-row">
          <SelectField
            label={t('library.workType')}
            value={form.workType}
            onChange={(e) => setForm({ ...form, workType: e.target.value as WorkType | '' })}
            error={fieldError('workType')}
          >
            <option value="">
              {clip.checkout ? t('library.classify.fromCheckout', { type: t(`workType.${clip.checkout.workType}`) }) : t('library.classify.noWorkType')}
            </option>
            {workTypes.map((w) => (
              <option key={w} value={w}>
                {t(`workType.${w}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('library.clip.ownLevel')}
            value={form.level}
            onChange={(e) => setForm({ ...form, level: e.target.value as Confidentiality })}
            error={fieldError('confidentiality')}
          >
            {confidentialityLevels.map((l) => (
              <option key={l} value={l}>
                {levelText(t, l)}
              </option>
            ))}
          </SelectField>
        </div>
        <p className="field-hint">{t('library.classify.levelHint')}</p>
        <NoteField label={t('fields.note')} value={form.note} onChange={(note) => setForm({ ...form, note })} error={fieldError('note')} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={busy || !dirty}>
            {busy ? t('common.working') : t('library.classify.save')}
          </button>
        </div>
      </form>
      {confirming && changes.confidentiality && (
        <ConfirmDialog
          title={t('library.classify.secretTitle', { level: levelText(t, changes.confidentiality) })}
          confirmLabel={t('library.classify.secretConfirm', { level: levelText(t, changes.confidentiality) })}
          tone="danger"
          onCancel={() => setConfirming(false)}
          onConfirm={async (): Promise<StationErrorBody | null> => {
            const r = await client.call('library.classify', { clipIds: [clip.id], ...changes });
            if (!r.ok) return r.error;
            setConfirming(false);
            // Secret now: hidden from everyone but a department head, this person too (the core answers not_found).
            if (changes.confidentiality && !session.person.roles.includes('department_head')) {
              onHidden(changes.confidentiality);
              return null;
            }
            setDone(t('library.classify.saved'));
            onChanged();
            return null;
          }}
        >
          <p>{t('library.classify.secretBody', { level: levelText(t, changes.confidentiality) })}</p>
        </ConfirmDialog>
      )}
      {linking && (
        <CaseLinkDialog
          clipId={clip.id}
          mode={linking}
          onClose={() => setLinking(null)}
          onLinked={(caseNo) => {
            setLinking(null);
            setDone(t('library.cases.linked', { caseNo }));
            onChanged();
          }}
        />
      )}
    </div>
  );
}
