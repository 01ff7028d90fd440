// 综合处 marks footage recorded outside a checkout (第三条) as looked at, with
// what it found: a test recording, work done without a checkout, or private use
// to be taken up under 第二十三条. The note is kept with the record and audited.
import { useState } from 'react';
import type { DeviceRef, OutsideRecording } from '../../../shared/custody.js';
import { useStation, useStationTime } from '../../app/context.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { NoteField } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { ClipPlayer } from '../player/ClipPlayer.js';

/** What has a viewer: a camera's log or other file has none. */
const PLAYABLE = new Set(['video', 'audio', 'photo']);

export function ReviewOutsideDialog({
  record,
  keeper,
  onClose,
  onDone,
}: {
  record: OutsideRecording;
  keeper: DeviceRef['keeper'];
  onClose(): void;
  onDone(r: OutsideRecording): void;
}) {
  const { t, has } = useI18n();
  const { client } = useStation();
  const time = useStationTime();
  const [note, setNote] = useState('');
  const [playing, setPlaying] = useState<number | null>(null);
  const { busy, error, fieldError, run } = useSubmit();

  const submit = () => {
    if (note.trim()) void run(() => client.call('custody.reviewOutsideRecording', { id: record.id, note }), onDone);
  };

  return (
    <Dialog
      title={t('outside.dialogTitle', { serial: record.device.serial })}
      onClose={onClose}
      onSubmit={submit}
      wide
      actions={<SubmitActions label={t('outside.confirm')} busy={busy} disabled={!note.trim()} onCancel={onClose} />}
    >
      <ErrorAlert error={error} text={error?.code === 'invalid_state' ? t('outside.alreadyReviewed') : undefined} />
      <dl className="facts">
        <dt>{t('outside.officerCol')}</dt>
        <dd>{record.officer ? t('common.personRef', { name: record.officer.name, badge: record.officer.badge }) : t('outside.noOfficer')}</dd>
        <dt>{t('fields.keeper')}</dt>
        <dd>{keeper ? t('common.personRef', { name: keeper.name, badge: keeper.badge }) : '—'}</dd>
        <dt>{t('outside.kindCol')}</dt>
        <dd>
          {t(`outside.kind.${record.kind}`)}
          {record.checkoutId !== null && ` · ${t('outside.checkout', { id: record.checkoutId })}`}
        </dd>
        <dt>{t('outside.dockedCol')}</dt>
        <dd>{time(record.dockedAt)}</dd>
      </dl>
      <div className="outside-clips">
        <h3 className="field-label">{t('outside.clipCount', { n: record.clips.length })}</h3>
        <ul className="plain-list outside-clip-list">
          {record.clips.map((c) => (
            <li key={c.id}>
              <span className="nowrap">{c.startAt === null ? t('outside.noStart') : time(c.startAt)}</span>{' '}
              <span className="muted">{has(`outside.clipKind.${c.kind}`) ? t(`outside.clipKind.${c.kind}`) : c.kind}</span>{' '}
              <div className="mono path">{c.originalPath}</div>
              {PLAYABLE.has(c.kind) && playing !== c.id && (
                <button type="button" className="btn btn-secondary btn-small" onClick={() => setPlaying(c.id)}>
                  {t('outside.play')}
                  <span className="visually-hidden"> {c.originalPath}</span>
                </button>
              )}
              {/* Played here, under the viewer's grant (a standing one for 综合处), each view registered. */}
              {playing === c.id && <ClipPlayer clipId={c.id} />}
            </li>
          ))}
        </ul>
      </div>
      <NoteField label={t('outside.note')} hint={t('outside.noteHint')} value={note} onChange={setNote} error={fieldError('note')} autoFocus />
    </Dialog>
  );
}
