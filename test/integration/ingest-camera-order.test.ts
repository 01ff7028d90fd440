// A camera is one USB device, so a dock reads one of its files at a time; the
// next file starts once the last one is read whole and is being verified from
// the vault (or committed). This is the discipline bench:ingest measures
// (`copyInOrder`); two files read at once would interleave on the camera's bus.
import { describe, expect, it } from 'vitest';
import { undoAfterEach } from '../support/cleanup.js';
import { camera, identify } from '../support/ingest.js';
import { BADGE, expectVaultConsistent, fileRows, MiB, SERIAL, slowFirstProbe, stationWithCamera } from '../support/ingest-faults.js';
import { T0 } from '../support/station.js';

const cleanup = undoAfterEach();

describe('one file of a camera is read at a time', () => {
  it('never two files of one dock copying at once; the next is copied while the last is verified and committed', async () => {
    const t = await stationWithCamera();
    cleanup(() => t.close());
    const manifest = await camera({ serial: SERIAL, badge: BADGE, now: T0, clips: 3, clipBytes: 24 * MiB });
    // The first clip's probe (part of its commit, after its read-back) takes a second: long
    // enough that the next file is surely being copied meanwhile, whatever the machine's load.
    const probe = slowFirstProbe();
    cleanup(() => probe.restore());
    const identified = await identify(manifest.root, t.clock, 'usb:camera-1');

    let dockSessionId = 0;
    let mostCopying = 0;
    let copiedWhileAnotherCommits = false;
    t.events.react((e) => {
      if (e.name !== 'ingest.fileChanged' || dockSessionId === 0) return false;
      const states = fileRows(t.station, dockSessionId).map((r) => r.state);
      const copying = states.filter((s) => s === 'copying').length;
      mostCopying = Math.max(mostCopying, copying);
      if (copying === 1 && states.includes('verifying')) copiedWhileAnotherCommits = true;
      return false;
    });
    const docked = await t.station.ingest.dock(identified, 'usb-volume');
    dockSessionId = docked.dockSessionId;
    const summary = await docked.done!;

    const footage = manifest.files.filter((f) => f.expected !== 'not-footage');
    expect(summary).toMatchObject({ state: 'done', committed: footage.length, failed: 0 });
    expect(mostCopying, 'files of the camera copying at the same moment').toBe(1);
    expect(copiedWhileAnotherCommits, 'a file was copied while the one before it was verified or committed').toBe(true);
    expect(await expectVaultConsistent(t)).toHaveLength(footage.length);
  });
});
