// A station process that ingests one camera folder, for fault tests that need
// the ingest in another process: to kill it with SIGKILL mid-copy, or to run it
// with fewer privileges than the test. Run with tsx:
//
//   node --import tsx test/support/ingest-runner.ts <dataDir> <cameraFolder> [copyWorkers]
//
// It prints one JSON line per file state change ({"file":…,"state":…}) and a
// last line {"summary":…}; stdout to a pipe is synchronous on Linux, so a line
// the parent has read describes a row already committed to the database.
import { osActor } from '../../electron/core/audit/actor.js';
import type { IngestFileRow } from '../../electron/core/ingest/repository.js';
import { createStation } from '../../electron/core/station.js';

const [dataDir, folder, workers] = process.argv.slice(2);
if (!dataDir || !folder) {
  process.stderr.write('usage: ingest-runner.ts <dataDir> <cameraFolder> [copyWorkers]\n');
  process.exit(2);
}

const station = createStation(
  { dataDir, scryptCost: 1024, copyWorkers: workers ? Number(workers) : undefined, thumbnails: false },
  { log: (message, error) => process.stderr.write(`${message} ${error instanceof Error ? error.message : String(error ?? '')}\n`) },
);
const connection = station.connect({ kind: 'os', actor: osActor('ingest-runner') });
connection.onEvent((event, payload) => {
  if (event !== 'ingest.fileChanged') return;
  const row = station.db.prepare<[number], IngestFileRow>('SELECT * FROM ingest_file WHERE id = ?').get((payload as { fileId: number }).fileId)!;
  process.stdout.write(`${JSON.stringify({ file: row.original_path, id: row.id, state: row.state, failure: row.failure_kind })}\n`);
});

try {
  const { summary } = await station.ingestFolder(folder);
  process.stdout.write(`${JSON.stringify({ summary })}\n`);
} finally {
  await station.close();
}
