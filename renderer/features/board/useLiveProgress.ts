// The latest progress of each running offload, straight from the core's
// ingest.progress events (a query's answer is only as fresh as its last reload).
import { useEffect, useState } from 'react';
import type { IngestProgress } from '../../../shared/ingest.js';
import { useStation } from '../../app/context.js';

export function useLiveProgress(): Record<number, IngestProgress> {
  const { client } = useStation();
  const [progress, setProgress] = useState<Record<number, IngestProgress>>({});
  useEffect(() => client.on('ingest.progress', (p) => setProgress((m) => ({ ...m, [p.dockSessionId]: p }))), [client]);
  return progress;
}
