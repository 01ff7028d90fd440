// The latest progress of one build, straight from the core's export.progress events (sent at
// most twice a second while it runs); until the first event, what the record said when read.
import { useEffect, useState } from 'react';
import type { ExportProgress } from '../../../shared/export.js';
import { useStation } from '../../app/context.js';

export function useExportProgress(id: number, initial: ExportProgress | null): ExportProgress | null {
  const { client } = useStation();
  const [live, setLive] = useState<ExportProgress | null>(null);
  useEffect(
    () =>
      client.on('export.progress', (e) => {
        if (e.id === id) setLive(e.progress);
      }),
    [client, id],
  );
  // An event newer than the record wins; a record read after the last event (a rebuild) wins over it.
  if (live && (!initial || live.at >= initial.at)) return live;
  return initial;
}
