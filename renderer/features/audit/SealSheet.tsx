// The seal sheet in the app: shown in a dialog, printed with the browser's own
// print (a print stylesheet leaves only the sheet on the page), and saved as
// the core's PDF. The renderer's CSP has `object-src 'none'` and no `blob:`
// frames, and new windows are refused, so the PDF cannot be opened inside the
// app; the sheet is drawn here from the same seal instead (its QR code as an
// SVG of the core's modules), and the PDF is offered as a download.
import { createPortal } from 'react-dom';
import type { SealSheet } from '../../../shared/seal.js';
import { groupSealCode } from '../../../shared/seal.js';
import { useStation, useStationTime } from '../../app/context.js';
import { saveBase64 } from '../../app/download.js';
import { useQuery } from '../../app/useQuery.js';
import { useSubmit } from '../../app/useSubmit.js';
import { Dialog } from '../../app/ui/Dialog.js';
import { ErrorAlert } from '../../app/ui/ErrorAlert.js';
import { translate } from '../../i18n/catalog.js';
import type { Vars } from '../../i18n/catalog.js';
import { useI18n } from '../../i18n/i18n.js';

/** One path of the dark modules, a run of a row per segment, inside four modules of quiet zone. */
function qrPath(rows: readonly string[]): string {
  let d = '';
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; ) {
      if (row[x] !== '1') {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x] === '1') x++;
      d += `M${start + 4} ${y + 4}h${x - start}v1h${start - x}z`;
    }
  });
  return d;
}

/** The sheet is a paper document in Chinese with English beneath, whatever the screen's language. */
const zh = (key: string, vars?: Vars) => translate('zh-CN', `audit.seal.sheet.${key}`, vars);
const en = (key: string, vars?: Vars) => translate('en', `audit.seal.sheet.${key}`, vars);

function Label({ k }: { k: string }) {
  return (
    <th scope="row">
      <span className="sheet-zh">{zh(k)}</span>
      <span className="sheet-en" lang="en">
        {en(k)}
      </span>
    </th>
  );
}

function Sheet({ sheet }: { sheet: SealSheet }) {
  const time = useStationTime();
  const { status } = useStation();
  const s = sheet.seal;
  const n = sheet.qr.length + 8;
  const groups = groupSealCode(s.code).split(' ');
  const scopeZh = s.complete ? translate('zh-CN', 'audit.seal.wholeDay') : translate('zh-CN', 'audit.seal.soFar', { time: time(s.madeAt).slice(11) });
  const scopeEn = s.complete ? translate('en', 'audit.seal.wholeDay') : translate('en', 'audit.seal.soFar', { time: time(s.madeAt).slice(11) });
  const previous = sheet.previousCode ? groupSealCode(sheet.previousCode).split(' ') : null;
  return (
    <article className="seal-sheet" lang="zh-CN">
      <header className="sheet-title">
        <div>
          <h2>{zh('title')}</h2>
          <p className="sheet-en" lang="en">
            {en('title')}
          </p>
        </div>
        <div className="sheet-number">
          <strong>{zh('number', { number: s.number })}</strong>
          <span className="sheet-en" lang="en">
            {en('number', { number: s.number })}
          </span>
        </div>
      </header>
      <div className="sheet-body">
        <table className="sheet-fields">
          <tbody>
            <tr>
              <Label k="station" />
              <td>{s.station}</td>
            </tr>
            <tr>
              <Label k="day" />
              <td>
                {s.day} {scopeZh}
                <span className="sheet-en" lang="en">
                  {scopeEn}
                </span>
              </td>
            </tr>
            <tr>
              <Label k="madeAt" />
              <td>
                {time(s.madeAt)}
                <span className="sheet-en">{status.timeZone}</span>
              </td>
            </tr>
            <tr>
              <Label k="clips" />
              <td>
                {zh('clipCount', { n: s.clipCount })}
                <span className="sheet-en" lang="en">
                  {en('clipCount', { n: s.clipCount })}
                </span>
              </td>
            </tr>
            <tr>
              <Label k="merkleRoot" />
              <td className="sheet-hex">
                {s.merkleRoot.slice(0, 32)}
                <br />
                {s.merkleRoot.slice(32)}
              </td>
            </tr>
            <tr>
              <Label k="auditHead" />
              <td>
                {zh('auditRow', { seq: s.auditSeq })} / <span lang="en">{en('auditRow', { seq: s.auditSeq })}</span>
                <span className="sheet-hex">
                  {s.auditHash.slice(0, 32)}
                  <br />
                  {s.auditHash.slice(32)}
                </span>
              </td>
            </tr>
            <tr>
              <Label k="previous" />
              <td>
                {previous ? (
                  <>
                    <span className="sheet-code-small">
                      {previous.slice(0, 4).join(' ')}
                      <br />
                      {previous.slice(4).join(' ')}
                    </span>
                    <span className="sheet-en">
                      {zh('previousNote')} / <span lang="en">{en('previousNote')}</span>
                    </span>
                  </>
                ) : (
                  <>
                    {zh('previousNone')}
                    <span className="sheet-en" lang="en">
                      {en('previousNone')}
                    </span>
                  </>
                )}
              </td>
            </tr>
          </tbody>
        </table>
        <figure className="sheet-qr">
          <svg viewBox={`0 0 ${n} ${n}`} role="img" aria-label={`${zh('qr')} / ${en('qr')}`} shapeRendering="crispEdges">
            <rect width={n} height={n} fill="#fff" />
            <path d={qrPath(sheet.qr)} fill="#000" />
          </svg>
          <figcaption>
            {zh('scan')} / <span lang="en">{en('scan')}</span>
          </figcaption>
        </figure>
      </div>
      <h3 className="sheet-code-title">
        {zh('code')}{' '}
        <span className="sheet-en" lang="en">
          {en('code')}
        </span>
      </h3>
      <p className="sheet-code">
        <span>{groups.slice(0, 4).join('  ')}</span>
        <span>{groups.slice(4).join('  ')}</span>
      </p>
      <p className="sheet-how">{zh('howTo')}</p>
      <p className="sheet-en" lang="en">
        {en('howTo')}
      </p>
      <h3 className="sheet-sign-title">
        {zh('signFor')}{' '}
        <span className="sheet-en" lang="en">
          {en('signFor')}
        </span>
      </h3>
      {['handledBy', 'head'].map((k) => (
        <div key={k} className="sheet-sign">
          <span>
            {zh(k)}
            <span className="sheet-en" lang="en">
              {en(k)}
            </span>
          </span>
          <span className="sheet-line" />
          <span>
            {zh('date')}
            <span className="sheet-en" lang="en">
              {en('date')}
            </span>
          </span>
          <span className="sheet-line" />
        </div>
      ))}
      <footer className="sheet-foot mono">SHA-256 {s.digest}</footer>
    </article>
  );
}

export function SealSheetDialog({ number, onClose }: { number: number; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const sheet = useQuery('audit.seal.sheet', { number });
  const pdf = useSubmit();
  const value = sheet.result?.ok ? sheet.result.value : null;
  // Opened once the sheet is here, so the dialog starts on 打印 (a disabled button takes no focus).
  if (!sheet.result) return null;
  return (
    <Dialog
      wide
      title={t('audit.seal.print')}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="btn btn-primary" disabled={!value} onClick={() => window.print()} data-autofocus>
            {t('audit.seal.sheet.printNow')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={!value || pdf.busy}
            onClick={() => void pdf.run(() => client.call('audit.seal.pdf', { number }), (r) => saveBase64(r.fileName, r.pdfBase64, 'application/pdf'))}
          >
            {pdf.busy ? t('common.working') : t('audit.seal.sheet.savePdf')}
          </button>
          <button type="button" className="btn btn-secondary" onClick={onClose}>
            {t('audit.seal.sheet.close')}
          </button>
        </>
      }
    >
      <p className="muted">{t('audit.seal.sheet.printHint')}</p>
      {sheet.result && !sheet.result.ok && <ErrorAlert error={sheet.result.error} />}
      <ErrorAlert error={pdf.error} />
      {value && (
        // Taller than the dialog: focusable and named, so it scrolls by keyboard too.
        <div className="seal-sheet-preview" role="region" aria-label={t('audit.seal.sheet.title')} tabIndex={0}>
          <Sheet sheet={value} />
        </div>
      )}
      {/* The copy the printer gets: outside the app's root, which the print stylesheet hides. */}
      {value && createPortal(<div className="seal-print">
          <Sheet sheet={value} />
        </div>, document.body)}
    </Dialog>
  );
}
