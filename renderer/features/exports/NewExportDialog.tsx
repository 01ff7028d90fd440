// 导出光盘 (第十七、二十条): 综合处 makes evidence discs of a case's recordings, or of recordings
// chosen in the library, for a 提取人. Before it is sent the dialog says whether a department
// head must approve it first (where it can tell: no case, a purpose other than evidence, a
// secret case, the station's setting); after, what happened: the discs are being made, or the
// export waits for approval.
import { useId, useState } from 'react';
import type { ApprovalReason, ExportMedium, ExportPurpose, ExportRecord } from '../../../shared/export.js';
import { exportMedia, exportPurposes } from '../../../shared/export.js';
import { useSession, useStation } from '../../app/context.js';
import { href } from '../../app/route.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField, TextArea } from '../../app/ui/Field.js';
import { SubmitActions } from '../../app/ui/SubmitActions.js';
import { useI18n } from '../../i18n/i18n.js';
import { useExportError } from './errors.js';
import type { RecipientDraft, RecipientProblem } from './RecipientFields.js';
import { RecipientFields, recipientProblems } from './RecipientFields.js';
import { DEFAULT_MEDIUM, mediumText, reasonText } from './words.js';

export interface NewExportDialogProps {
  /** All of this case's recordings (or, with clipIds, those of them). */
  caseId?: number | undefined;
  caseNo?: string | undefined;
  /** Recordings chosen one by one; without a case they need a head's approval. */
  clipIds?: number[] | undefined;
  /** The case is 商业秘密 or 国家秘密 (第二十一条): its export waits for a head. */
  secret?: boolean;
  onClose(): void;
}

const DRIVE = 'drive:';

export function NewExportDialog({ caseId, caseNo, clipIds, secret = false, onClose }: NewExportDialogProps) {
  const { t } = useI18n();
  const { client } = useStation();
  const { session } = useSession();
  const purposeName = useId();
  const [recipient, setRecipient] = useState<RecipientDraft>({ kind: 'outside', name: '', unit: '', idNo: '' });
  const [purpose, setPurpose] = useState<ExportPurpose>('evidence');
  // A kind of disc, or `drive:<address>`: the blank in that drive, split for its actual space.
  const [medium, setMedium] = useState<string>(DEFAULT_MEDIUM);
  const drives = useQuery('exports.drives', {});
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState(false);
  const [made, setMade] = useState<ExportRecord | null>(null);
  const { busy, error, fieldError, run } = useSubmit();
  const errorText = useExportError();
  const settings = useQuery('exports.settings', {});
  const problems: RecipientProblem[] = checked ? recipientProblems(recipient, session.person.id) : [];

  // The reasons the dialog can see; the core decides (a chosen clip may be secret on its own).
  const reasons: ApprovalReason[] = [
    ...(secret ? (['secret'] as const) : []),
    ...(caseId === undefined ? (['no_case'] as const) : []),
    ...(purpose !== 'evidence' ? (['purpose'] as const) : []),
    ...(settings.result?.ok && settings.result.value.requireApprovalForAll ? (['station_setting'] as const) : []),
  ];

  const submit = () => {
    setChecked(true);
    if (recipientProblems(recipient, session.person.id).length > 0) return;
    void run(
      () =>
        client.call('exports.create', {
          ...(caseId !== undefined ? { caseId } : {}),
          ...(clipIds && clipIds.length > 0 ? { clipIds } : { allOfCase: true }),
          purpose,
          ...(medium.startsWith(DRIVE) ? { medium: 'drive' as const, driveAddress: medium.slice(DRIVE.length) } : { medium: medium as ExportMedium }),
          ...(note.trim() ? { note: note.trim() } : {}),
          recipient:
            recipient.kind === 'person'
              ? { personId: recipient.person!.id }
              : { name: recipient.name.trim(), unit: recipient.unit.trim(), idNo: recipient.idNo.trim() },
        }),
      setMade,
    );
  };

  if (made) return <Made record={made} onClose={onClose} />;

  return (
    <Dialog title={t('exports.new.title')} onClose={onClose} wide onSubmit={submit} actions={<SubmitActions label={t('exports.new.submit')} busy={busy} onCancel={onClose} />}>
      <ErrorAlert error={error} text={errorText(error)} />
      <p className="big-line">
        {caseId !== undefined && !clipIds?.length
          ? t('exports.new.whatCase', { caseNo: caseNo ?? `#${caseId}` })
          : caseId !== undefined
            ? t('exports.new.whatCaseClips', { caseNo: caseNo ?? `#${caseId}`, n: clipIds!.length })
            : t('exports.new.whatClips', { n: clipIds?.length ?? 0 })}
      </p>
      {/* At the top, where it is read before anything is filled in; it follows the purpose chosen below. */}
      <ApprovalLine reasons={reasons} />
      <p className="muted">{t('exports.new.rule')}</p>
      <RecipientFields value={recipient} onChange={setRecipient} problems={problems} />
      <fieldset className="fieldset">
        <legend className="field-label">{t('exports.new.purpose')}</legend>
        <div className="check-grid">
          {exportPurposes.map((p) => (
            <label key={p} className="check-tile choice-tile">
              <input type="radio" name={purposeName} checked={purpose === p} onChange={() => setPurpose(p)} />
              <span>
                <span className="check-tile-title">{t(`exports.purpose.${p}`)}</span>
                <span className="check-tile-text">{t(`exports.purposeHint.${p}`)}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <SelectField label={t('exports.new.medium')} hint={t('exports.new.mediumHint')} value={medium} onChange={(e) => setMedium(e.target.value)} error={fieldError('medium') ?? fieldError('driveAddress')}>
        {exportMedia
          .filter((m) => m !== 'drive')
          .map((m) => (
            <option key={m} value={m}>
              {mediumText(t, m)}
            </option>
          ))}
        {(drives.result?.ok ? drives.result.value.drives : []).map((d) => (
          <option key={d.address} value={`${DRIVE}${d.address}`}>
            {t('exports.new.driveOption', { drive: `${d.vendor} ${d.model} (${d.address})` })}
          </option>
        ))}
      </SelectField>
      <TextArea label={t('fields.note')} optional={t('common.optional')} value={note} onChange={(e) => setNote(e.target.value)} error={fieldError('note')} maxLength={500} rows={2} />
    </Dialog>
  );
}

/** Said before sending: made at once with the 提取人 present, or first to a department head. */
function ApprovalLine({ reasons }: { reasons: ApprovalReason[] }) {
  const { t } = useI18n();
  if (reasons.length === 0) {
    return (
      <p className="alert alert-info" data-testid="approval-line">
        {t('exports.new.noApproval')}
      </p>
    );
  }
  return (
    <p className="alert alert-warn" data-testid="approval-line">
      {t('exports.new.needsApproval', { reasons: reasons.map((r) => reasonText(t, r)).join(t('common.listSeparator')) })}
    </p>
  );
}

/** After sending: what the core did with it, and the way to the export's page. */
function Made({ record, onClose }: { record: ExportRecord; onClose(): void }) {
  const { t } = useI18n();
  const waiting = record.state === 'pending_approval';
  return (
    <Dialog
      title={t('exports.new.title')}
      onClose={onClose}
      actions={
        <>
          <a className="btn btn-primary" href={href({ screen: 'export', id: record.id })} onClick={onClose} data-autofocus>
            {t('exports.new.open', { exportNo: record.exportNo })}
          </a>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('common.close')}
          </button>
        </>
      }
    >
      <p className={`alert ${waiting ? 'alert-warn' : 'alert-ok'}`} role="status">
        {waiting
          ? t('exports.new.waiting', { exportNo: record.exportNo, reasons: record.needsApproval.map((r) => reasonText(t, r)).join(t('common.listSeparator')) })
          : t('exports.new.building', { exportNo: record.exportNo })}
      </p>
    </Dialog>
  );
}
