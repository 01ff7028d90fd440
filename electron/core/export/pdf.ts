// A disc's PDFs (the 说明 and the custody record) and the export register's made off the core's event loop, one worker
// thread per document (pdf-worker.ts). The worker is found as the copy engine's is
// (ingest/copy/worker-entry.ts); bundled, it is dist-electron/pdf-worker.cjs.
import { Worker } from 'node:worker_threads';
import type { AuditEntry } from '../../../shared/domain.js';
import { StationError, type ErrorCode } from '../../../shared/errors.js';
import { workerEntry } from '../ingest/copy/worker-entry.js';
import type { CustodyMeta } from './custody-record.js';
import type { ExportRegisterPdfOptions } from './register-pdf.js';
import type { RegisterRow } from './register-csv.js';
import type { SheetInput } from './sheet.js';

type Font = { file?: string; face?: string };

export type PdfJob =
  | { kind: 'sheet'; input: SheetInput; font: Font }
  | { kind: 'custody'; rows: readonly AuditEntry[]; meta: CustodyMeta; font: Font }
  | { kind: 'register'; rows: readonly RegisterRow[]; options: ExportRegisterPdfOptions };

/** The name scripts/build-electron.mjs gives the worker's bundle. */
export const BUNDLED_PDF_WORKER = 'pdf-worker';

type Answer = { ok: true; pdf: Uint8Array } | { ok: false; message: string; code: ErrorCode | null; details: Record<string, unknown> | null };

export function renderPdfOffThread(job: PdfJob): Promise<Buffer> {
  const entry = workerEntry(import.meta.url, 'pdf-worker', BUNDLED_PDF_WORKER);
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.url, { workerData: job, execArgv: entry.execArgv });
    let answered = false;
    worker.once('message', (a: Answer) => {
      answered = true;
      // The font's own errors (missing, no Chinese) are the station's, with what to install.
      if (a.ok) resolve(Buffer.from(a.pdf.buffer, a.pdf.byteOffset, a.pdf.byteLength));
      else reject(a.code ? new StationError(a.code, a.message, a.details ?? undefined) : new Error(a.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the PDF worker stopped (exit ${code}) before it answered`));
    });
  });
}
