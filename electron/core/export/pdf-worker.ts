// The disc's PDFs made in a worker thread (pdf.ts): laying out a sheet of a thousand files takes
// seconds of CPU in pdfkit, which on the core's thread would hold every other call that long.
import { parentPort, workerData } from 'node:worker_threads';
import { renderCustodyPdf } from './custody-record.js';
import type { PdfJob } from './pdf.js';
import { renderExportRegisterPdf } from './register-pdf.js';
import { renderSheetPdf } from './sheet-pdf.js';

const job = workerData as PdfJob;
const render =
  job.kind === 'sheet'
    ? renderSheetPdf(job.input, { font: job.font })
    : job.kind === 'custody'
      ? renderCustodyPdf(job.rows, job.meta, { font: job.font })
      : renderExportRegisterPdf(job.rows, job.options);
render.then(
  (pdf) => parentPort!.postMessage({ ok: true, pdf }),
  (e: unknown) => parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e), code: (e as { code?: unknown }).code ?? null, details: (e as { details?: unknown }).details ?? null }),
);
