// Links a recording to a case (案件): one already registered, found by part of
// its 案件编号 or 案由, or a new one (案件编号, 案由, 承办人) made on the spot.
// A clip may belong to any number of cases.
import { useId, useState } from 'react';
import type { CaseRecord } from '../../../shared/library.js';
import { useStation } from '../../app/context.js';
import { useDebounced, useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { TextField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';

export function CaseLinkDialog({
  clipId,
  mode,
  onClose,
  onLinked,
}: {
  clipId: number;
  mode: 'existing' | 'new';
  onClose(): void;
  onLinked(caseNo: string): void;
}) {
  return mode === 'new' ? <NewCase clipId={clipId} onClose={onClose} onLinked={onLinked} /> : <ExistingCase clipId={clipId} onClose={onClose} onLinked={onLinked} />;
}

function ExistingCase({ clipId, onClose, onLinked }: { clipId: number; onClose(): void; onLinked(caseNo: string): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const name = useId();
  const [query, setQuery] = useState('');
  const search = useDebounced(query.trim());
  const cases = useQuery('cases.list', { query: search || undefined, limit: 12 });
  const [chosen, setChosen] = useState<CaseRecord | null>(null);
  const { busy, error, run } = useSubmit();
  const found = cases.result?.ok ? cases.result.value : [];

  return (
    <Dialog
      title={t('library.cases.linkTitle')}
      onClose={onClose}
      wide
      onSubmit={() => {
        if (chosen) void run(() => client.call('cases.addClips', { caseId: chosen.id, clipIds: [clipId] }), () => onLinked(chosen.caseNo));
      }}
      actions={<SubmitActions label={t('library.cases.link')} busy={busy} disabled={!chosen} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <TextField label={t('library.cases.search')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" data-autofocus />
      {cases.result && !cases.result.ok && <ErrorAlert error={cases.result.error} />}
      <fieldset className="fieldset">
        <legend className="field-label">{t('library.cases.pick')}</legend>
        {cases.result?.ok && found.length === 0 && <p className="field-hint">{t('library.cases.noneFound')}</p>}
        <div className="check-grid">
          {found.map((c) => (
            <label key={c.id} className="check-tile">
              <input type="radio" name={name} checked={chosen?.id === c.id} onChange={() => setChosen(c)} />
              <span>
                <span className="check-tile-title">{c.caseNo}</span>
                <span className="check-tile-text">
                  {c.cause} · {t('library.cases.handlerLine', { name: c.handler.name })}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
    </Dialog>
  );
}

function NewCase({ clipId, onClose, onLinked }: { clipId: number; onClose(): void; onLinked(caseNo: string): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [form, setForm] = useState({ caseNo: '', cause: '', handler: '' });
  const { busy, error, fieldError, run } = useSubmit();

  // Two calls, each audited: the case, then the clip in it. If the second fails the case stays,
  // and linking it again from "existing case" finishes the job.
  const submit = () =>
    void run(
      async () => {
        const made = await client.call('cases.create', { caseNo: form.caseNo, cause: form.cause, handlerName: form.handler });
        if (!made.ok) return made;
        return client.call('cases.addClips', { caseId: made.value.id, clipIds: [clipId] });
      },
      (r) => onLinked(r.case.caseNo),
    );

  const ready = form.caseNo.trim() !== '' && form.cause.trim() !== '' && form.handler.trim() !== '';
  return (
    <Dialog
      title={t('library.cases.createTitle')}
      onClose={onClose}
      onSubmit={submit}
      actions={<SubmitActions label={t('library.cases.createAndLink')} busy={busy} disabled={!ready} onCancel={onClose} />}
    >
      <ErrorAlert error={error} />
      <TextField
        label={t('library.cases.caseNo')}
        hint={t('library.cases.caseNoHint')}
        value={form.caseNo}
        onChange={(e) => setForm({ ...form, caseNo: e.target.value })}
        error={fieldError('caseNo')}
        autoComplete="off"
        data-autofocus
      />
      <TextField label={t('library.cases.cause')} value={form.cause} onChange={(e) => setForm({ ...form, cause: e.target.value })} error={fieldError('cause')} autoComplete="off" />
      <TextField
        label={t('library.cases.handler')}
        hint={t('library.cases.handlerHint')}
        value={form.handler}
        onChange={(e) => setForm({ ...form, handler: e.target.value })}
        error={fieldError('handlerName')}
        autoComplete="off"
      />
    </Dialog>
  );
}
