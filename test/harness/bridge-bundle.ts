import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

// Bundles bridge.ts for the page when the harness starts: the browser gets one
// classic script (no module loading to order), with the socket URL and token
// written in, so nothing else on the page has to carry them.

const bridgeEntry = fileURLToPath(new URL('./bridge.ts', import.meta.url));

export async function bundleBridge(socketUrl: string): Promise<string> {
  const result = await build({
    entryPoints: [bridgeEntry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    define: { __HARNESS_SOCKET_URL__: JSON.stringify(socketUrl) },
    legalComments: 'none',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bridge bundle');
  return output.text;
}
