// Migration 0210 keeps every clip's effective level (its own, or its cases', whichever is higher;
// 第二十一条) in clip_level for the library's level search. The triggers must agree with the rule
// as the core states it (library/confidentiality.ts) after every kind of change: a clip's own
// level set, raised, lowered and cleared, clips added to and taken out of cases, a case's level
// raised and lowered, whoever writes (the calls, or SQL as the tests' helpers do).
import { describe, expect, it } from 'vitest';
import { confidentialityLevels } from '../../shared/library.js';
import { loadMigrations, migrate, schemaVersion } from '../../electron/core/db/migrate.js';
import { clipConfidentiality } from '../../electron/core/library/confidentiality.js';
import { repoPath } from '../../electron/core/paths.js';
import type { ViewingStation } from './viewing-support.js';
import { viewingStations } from './viewing-support.js';

const { open } = viewingStations();

/** clip_level as it is, and as the rule says it should be: clip id → rank, for clips above normal. */
function levels(t: ViewingStation) {
  const kept = Object.fromEntries(
    t.station.db.prepare<[], { clip_id: number; rank: number; start_at: number | null }>('SELECT clip_id, rank, start_at FROM clip_level').all().map((r) => [r.clip_id, r.rank]),
  );
  const ids = t.station.db.prepare<[], { id: number }>('SELECT id FROM clip').all().map((r) => r.id);
  const rule = Object.fromEntries(
    [...clipConfidentiality(t.station.db, ids)].filter(([, level]) => level !== 'normal').map(([id, level]) => [id, confidentialityLevels.indexOf(level)]),
  );
  return { kept, rule };
}

describe('clip_level', () => {
  it('follows the effective level through every change of a clip\'s level, a case\'s level and a case\'s clips', async () => {
    const t = await open();
    const [a, b, c] = t.clips.map((x) => x.id);
    const office = t.office.client;
    const head = t.head.client;
    const agree = () => {
      const { kept, rule } = levels(t);
      expect(kept).toEqual(rule);
      return kept;
    };
    expect(agree()).toEqual({});

    await office.ok('library.classify', { clipIds: [a!, b!], confidentiality: 'internal' });
    expect(agree()).toEqual({ [a!]: 1, [b!]: 1 });
    const legal = await office.ok('cases.create', { caseNo: '（2026）级01号', cause: '案由', handlerName: '承办人' });
    await office.ok('cases.addClips', { caseId: legal.id, clipIds: [b!, c!] });
    expect(agree()).toEqual({ [a!]: 1, [b!]: 1 });
    await office.ok('cases.update', { id: legal.id, confidentiality: 'commercial_secret' });
    expect(agree()).toEqual({ [a!]: 1, [b!]: 2, [c!]: 2 });
    // A case lowered (by a head): its clips fall back to their own level.
    await head.ok('cases.update', { id: legal.id, confidentiality: 'internal' });
    expect(agree()).toEqual({ [a!]: 1, [b!]: 1, [c!]: 1 });
    await head.ok('cases.removeClips', { caseId: legal.id, clipIds: [c!] });
    expect(agree()).toEqual({ [a!]: 1, [b!]: 1 });
    await office.ok('library.classify', { clipIds: [a!], confidentiality: 'state_secret' });
    await head.ok('library.classify', { clipIds: [b!], confidentiality: 'normal' });
    expect(agree()).toEqual({ [a!]: 3, [b!]: 1 }); // b is still in the 内部 case
    await head.ok('cases.update', { id: legal.id, confidentiality: 'normal' });
    expect(agree()).toEqual({ [a!]: 3 });
    // Written by SQL, as a repair or the tests' helpers would: the triggers still hold.
    t.classify(c!, 'commercial_secret');
    t.legalCase([a!, c!], 'internal');
    t.station.db.prepare('DELETE FROM clip_class WHERE clip_id = ?').run(a!);
    expect(agree()).toEqual({ [a!]: 1, [c!]: 2 });
    // The level search finds them by it, newest first.
    const found = await head.ok('library.search', { confidentiality: 'commercial_secret' });
    expect(found.clips.map((x) => x.id)).toEqual([c!]);
    const start = t.station.db.prepare<[number], { start_at: number | null }>('SELECT start_at FROM clip WHERE id = ?');
    const keptStart = t.station.db.prepare<[number], { start_at: number | null }>('SELECT start_at FROM clip_level WHERE clip_id = ?');
    for (const id of [a!, c!]) expect(keptStart.get(id)).toEqual(start.get(id));
  });
});

describe('migration 0210', () => {
  it('fills clip_level from the classifications and cases a station already had', async () => {
    const t = await open();
    const [a, b, c] = t.clips.map((x) => x.id);
    t.classify(a!, 'internal');
    t.classify(b!, 'state_secret');
    t.legalCase([b!, c!], 'commercial_secret');
    const expected = levels(t).rule;
    expect(expected).toEqual({ [a!]: 1, [b!]: 3, [c!]: 2 });
    // The database as 0200 left it: no clip_level, no triggers; then the migrations run again.
    const db = t.station.db;
    for (const name of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'clip_level_%'").all()) {
      db.exec(`DROP TRIGGER ${name.name}`);
    }
    db.exec('DROP TABLE clip_level');
    db.pragma('user_version = 200');
    // Up to 0210 only: the later ones made their tables already and are not this test's.
    migrate(db, loadMigrations(repoPath('migrations')).filter((m) => m.version <= 210));
    expect(schemaVersion(db)).toBe(210);
    expect(levels(t).kept).toEqual(expected);
  });
});
