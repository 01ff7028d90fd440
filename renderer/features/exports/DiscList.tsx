// A made export's discs, one card each: its volume label, size, the image's SHA-256 as the
// register keeps it, when the read-back matched, whether it was burned. Per disc: save the image
// (to burn elsewhere), burn it on the station's drive, print its 说明 for the case file (附卷).
import { useState } from 'react';
import type { ExportDisc, ExportRecord } from '../../../shared/export.js';
import { useSession, useStation, useStationTime } from '../../app/context.js';
import { saveBase64 } from '../../app/download.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { SelectField } from '../../app/ui/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { sizeText } from '../library/words.js';
import { useExportError } from './errors.js';
import { saveFromUrl } from './saveImage.js';

export function DiscList({ record, onNotice }: { record: ExportRecord; onNotice(text: string): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const ready = record.state === 'ready';
  const making = can('export.make');
  // Drives are looked for only while there is something to burn.
  const drives = useQuery('exports.drives', {}, { enabled: ready && making });
  const found = drives.result?.ok ? drives.result.value.drives : [];
  const [drive, setDrive] = useState('');
  const address = drive || found[0]?.address || '';
  return (
    <section aria-labelledby="export-discs">
      <h2 id="export-discs" className="section-title">
        {t('exports.discs.title', { n: record.discs.length })}
      </h2>
      {ready && making && drives.result && (
        <div className="card">
          {!drives.result.ok && <ErrorAlert error={drives.result.error} />}
          {drives.result.ok && found.length === 0 && <p className="alert alert-info">{t('exports.discs.noDrive')}</p>}
          {found.length > 0 && (
            <SelectField label={t('exports.discs.drive')} value={address} onChange={(e) => setDrive(e.target.value)}>
              {found.map((d) => (
                <option key={d.address} value={d.address}>
                  {`${d.vendor} ${d.model}`.trim() || d.address} （{d.address}）
                </option>
              ))}
            </SelectField>
          )}
        </div>
      )}
      {record.discs.map((d) => (
        <DiscCard key={d.disc} record={record} disc={d} address={ready && making ? address : ''} onNotice={onNotice} />
      ))}
    </section>
  );
}

function DiscCard({ record, disc: d, address, onNotice }: { record: ExportRecord; disc: ExportDisc; address: string; onNotice(text: string): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const { can } = useSession();
  const time = useStationTime();
  const action = useSubmit();
  const errorText = useExportError();
  const ready = record.state === 'ready';
  const making = can('export.make');
  const n = record.discs.length;
  const headingId = `disc-${d.disc}`;

  const saveImage = () =>
    void action.run(
      () => client.call('exports.download', { id: record.id, disc: d.disc }),
      (r) => {
        saveFromUrl(client.downloadUrl(r.downloadId), r.fileName);
        onNotice(t('exports.discs.saving', { file: r.fileName, size: sizeText(t, r.bytes) }));
      },
    );
  const burn = () =>
    void action.run(
      () => client.call('exports.burn', { id: record.id, disc: d.disc, address }),
      () => onNotice(t('exports.discs.burned', { disc: d.disc, n })),
    );
  const print = () =>
    void action.run(
      () => client.call('exports.sheet', { id: record.id, disc: d.disc }),
      (r) => {
        saveBase64(r.fileName, r.base64, 'application/pdf');
        onNotice(t(r.reprint ? 'exports.discs.reprinted' : 'exports.discs.printed', { file: r.fileName }));
      },
    );

  return (
    <article className="card" aria-labelledby={headingId} data-disc={d.disc}>
      <h3 id={headingId} className="section-title">
        {t('exports.discs.disc', { disc: d.disc, n })}
      </h3>
      <dl className="facts">
        <dt>{t('exports.discs.volumeId')}</dt>
        <dd className="mono">{d.volumeId}</dd>
        <dt>{t('exports.discs.content')}</dt>
        <dd>{t('exports.discs.files', { n: d.files, size: sizeText(t, d.bytes) })}</dd>
        <dt>{t('exports.discs.imageSize')}</dt>
        <dd>{d.imageBytes === null ? '—' : sizeText(t, d.imageBytes)}</dd>
        <dt>{t('exports.discs.sha256')}</dt>
        <dd className="mono break">{d.imageSha256 ?? '—'}</dd>
        <dt>{t('exports.discs.verifiedAt')}</dt>
        <dd>{d.verifiedAt === null ? t('exports.discs.notVerified') : time(d.verifiedAt)}</dd>
        <dt>{t('exports.discs.burnedAt')}</dt>
        <dd>{d.burnedAt === null ? t('exports.discs.notBurned') : t('exports.discs.burnedLine', { time: time(d.burnedAt), drive: d.burnedTo ?? '—' })}</dd>
      </dl>
      <ErrorAlert error={action.error} text={action.error?.code === 'invalid_state' && !hasState(action.error.details) ? t('exports.errors.burnMismatch') : errorText(action.error)} />
      {making && (ready || record.state === 'handed_over') && (
        <div className="button-row">
          {ready && (
            <button type="button" className="btn btn-primary" disabled={action.busy || d.verifiedAt === null} onClick={saveImage}>
              {t('exports.discs.save')}
            </button>
          )}
          {ready && address && (
            <button type="button" className="btn btn-secondary" disabled={action.busy || d.verifiedAt === null} onClick={burn}>
              {action.busy ? t('common.working') : t('exports.discs.burn')}
            </button>
          )}
          <button type="button" className="btn btn-secondary" disabled={action.busy} onClick={print}>
            {t('exports.discs.print')}
          </button>
        </div>
      )}
    </article>
  );
}

/** A refusal naming the export's state is about the state; one without, from a burn, is the read-back. */
function hasState(details: unknown): boolean {
  return typeof details === 'object' && details !== null && 'state' in details;
}
