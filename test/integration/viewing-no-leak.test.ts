// The guarantee of issue 20: no footage leaves the station except through the playback stream
// under a grant. Walks every call of the contract (shared/contract.ts), with a session of each
// role and with none, against a station holding real ingested clips, grants, a view registered
// and a case, and shows that no answer (nor event) carries a clip's bytes (raw as a number list,
// hex, base64 at every alignment) or the vault's folder. viewing.open answers a view id and what
// the overlay shows, never bytes: only the media endpoint serves them, under that id and the grant
// (its own walk is in media-endpoint.test.ts).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { callNames, contract } from '../../shared/contract.js';
import type { CallName } from '../../shared/contract.js';
import type { Client } from '../support/station.js';
import type { ViewingStation } from './viewing-support.js';
import { approvedClips, needlesOf, viewingStations } from './viewing-support.js';

const { open } = viewingStations();

type Def = { type?: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; entries?: Record<string, string>; element?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };
const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

/** A value for one field: ids from the station's real objects, text that passes most fields. */
function valueFor(field: string, schema: z.ZodType, id: number): unknown {
  const d = defOf(schema);
  switch (d.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return valueFor(field, d.innerType!, id);
    case 'pipe':
      return valueFor(field, d.in!, id);
    case 'union':
      return valueFor(field, d.options![0]!, id);
    case 'enum':
      return Object.values(d.entries!)[0];
    case 'boolean':
      return true;
    case 'array':
      return [valueFor(field, d.element!, id)];
    case 'object':
      return payloadFor(schema, id, true);
    case 'number':
      if (field === 'limit') return 500;
      if (field === 'from') return 0;
      if (field === 'to') return Number.MAX_SAFE_INTEGER;
      return id;
    case 'string':
      if (/badge/i.test(field)) return '100001';
      if (field === 'viewId') return 'ab'.repeat(16); // the shape of a view id (none the walk was given)
      if (/^(expectedEnd|occurredAt|declaredReturn)$/.test(field)) return '2026-11-27T18:00';
      if (/^(newPin|pin|currentPin)$/.test(field)) return '135792';
      if (/password/i.test(field)) return 'correct horse battery';
      return `x${id}`;
    default:
      return undefined;
  }
}

/** The required fields, plus every optional one (`full`) or only `also`. */
function payloadFor(schema: z.ZodType, id: number, full: boolean, also?: string): Record<string, unknown> {
  const shape = defOf(schema).shape ?? {};
  const out: Record<string, unknown> = {};
  for (const [field, s] of Object.entries(shape)) {
    if (!full && field !== also && s.safeParse(undefined).success) continue;
    const v = valueFor(field, s, id);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/** The payloads a call is tried with for one id: required only, all fields, and each optional field alone (for rules across fields). */
function variantsFor(schema: z.ZodType, id: number): Array<Record<string, unknown>> {
  const optional = Object.entries(defOf(schema).shape ?? {}).filter(([, s]) => s.safeParse(undefined).success).map(([f]) => f);
  return [payloadFor(schema, id, false), payloadFor(schema, id, true), ...optional.map((f) => payloadFor(schema, id, false, f))];
}

/**
 * The audit log's own record of where the evidence is, shown as recorded to those who may read the
 * log (audit.view; the rows are hashed and cannot be reworded): the folder a vault was bound to,
 * and each stored clip's place in it. Named here so that any other answer naming the vault fails.
 */
const AUDITED_LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  'vault.bound': ['root'],
  'clip.committed': ['vaultPath'],
  'clip.restored': ['vaultPath'],
  'clip.carried_over': ['vaultPath'],
};

/** An answer's text, with the audit rows' recorded locations above taken out. */
function withoutAuditedLocations(call: string, text: string): string {
  if (call !== 'audit.list') return text;
  const result = JSON.parse(text) as { ok: boolean; value?: { entries: Array<{ action: string; after: Record<string, unknown> | null }> } };
  for (const entry of result.value?.entries ?? []) {
    for (const field of AUDITED_LOCATIONS[entry.action] ?? []) if (entry.after) delete entry.after[field];
  }
  return JSON.stringify(result);
}

/** Calls whose variants would lock an account or end the session: one try each, and logout last. */
const ONCE: ReadonlySet<CallName> = new Set(['auth.loginPassword', 'auth.loginBadge', 'auth.unlock', 'auth.changePin', 'auth.changePassword', 'station.setup']);

/** A station with everything the contract could be asked about: grants (on request and standing), a case, a view registered with bytes served. */
async function populated(): Promise<ViewingStation> {
  const t = await open();
  const [a, b] = t.clips;
  await approvedClips(t, t.officer.client, [a!.id, b!.id]);
  const asked = await t.head.client.ok('viewing.request', { reason: '执法监督', purpose: 'supervision', scope: 'checkout', checkoutId: t.checkout.id, hours: 1 });
  await t.head2.client.ok('viewing.approve', { id: asked.id, hours: 1 });
  await t.officer2.client.ok('viewing.request', { reason: '核对', purpose: 'other', scope: 'clips', clipIds: [b!.id], hours: 1 }); // left pending
  await t.head.client.ok('viewing.grant', { granteeId: t.office.person.id, purpose: 'supervision', reason: '执法监督（一个月）', days: 30, scope: 'all' });
  t.legalCase([a!.id]);
  const s = t.station.viewing.sessions.openView(t.officer.person.id, a!.id);
  expect((await t.station.viewing.sessions.readRange(s, 0, a!.size - 1)).bytes.length).toBe(a!.size);
  t.station.viewing.sessions.closeView(s);
  return t;
}

describe('no footage leaves the station through the contract', () => {
  it('finds a clip\'s bytes wherever an answer would carry them (the search itself can fail)', () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + (i >> 3)) & 0xff));
    const needles = needlesOf(bytes);
    const forms = [
      JSON.stringify({ data: bytes.toString('base64') }),
      JSON.stringify({ data: bytes.subarray(1).toString('base64') }),
      JSON.stringify({ data: bytes.subarray(2).toString('base64url') }),
      JSON.stringify({ data: bytes.toString('hex') }),
      JSON.stringify({ data: bytes.toString('hex').toUpperCase() }),
      JSON.stringify({ data: bytes }),
      JSON.stringify({ data: Array.from(bytes.subarray(100)) }),
    ];
    for (const text of forms) expect(needles.some((n) => text.includes(n))).toBe(true);
    expect(needles.some((n) => JSON.stringify({ data: 'nothing of the clip', other: bytes.subarray(0, 64).toString('base64') }).includes(n))).toBe(false);
  });

  it('walks every call with each role and no session: no answer or event holds a clip\'s bytes or the vault\'s folder', async () => {
    const t = await populated();
    const vaultRoot = t.station.config.vaultDir;
    const needles = t.clips.flatMap((c) => needlesOf(fs.readFileSync(c.absolute)).map((needle) => ({ clipId: c.id, needle })));
    const answers: Array<{ who: string; call: string; text: string; code: string }> = [];
    const ids = [1, 2, t.checkout.id, ...t.clips.map((c) => c.id)];
    const walkers: Array<[string, Client]> = [
      ['no session', t.ui()],
      ['officer', t.officer.client],
      ['custodian', t.custodian.client],
      ['general_office', t.office.client],
      ['department_head', t.head.client],
      ['auditor', t.auditor.client],
      // Last: its people.* calls may change the others' roles or end their sessions.
      ['administrator', t.admin],
    ];
    for (const [who, client] of walkers) {
      client.connection.onEvent((event, payload) => answers.push({ who, call: `event ${event}`, text: JSON.stringify(payload) ?? '', code: 'event' }));
      const names = [...callNames.filter((n) => n !== 'auth.logout'), 'auth.logout' as const];
      for (const name of names) {
        const variants = ONCE.has(name) ? [payloadFor(contract[name].input, ids[0]!, false)] : ids.flatMap((id) => variantsFor(contract[name].input, id));
        for (const payload of variants) {
          const result = await client.connection.invoke(name, payload);
          answers.push({ who, call: name, text: JSON.stringify(result), code: result.ok ? 'ok' : result.error.code });
        }
      }
    }
    // The walk reached the handlers: every call answered past its schema at least once, most of
    // them with a value for some role, and the core never failed (a closed station answers internal).
    const reached = new Set(answers.filter((a) => a.code !== 'invalid_input' && a.code !== 'event').map((a) => a.call));
    expect(callNames.filter((n) => !reached.has(n))).toEqual([]);
    expect(new Set(answers.filter((a) => a.code === 'ok').map((a) => a.call)).size).toBeGreaterThan(callNames.length / 2);
    expect(answers.filter((a) => a.code === 'internal').map((a) => `${a.who} ${a.call}`)).toEqual([]);

    const places = t.clips.flatMap((c) => [
      { clipId: c.id, place: c.absolute },
      { clipId: c.id, place: c.vaultPath },
    ]);
    const leaks = answers.flatMap((a) => {
      const text = withoutAuditedLocations(a.call, a.text);
      return [
        ...needles.filter((n) => a.text.includes(n.needle)).map((n) => `${a.who} ${a.call}: bytes of clip ${n.clipId}`),
        ...(text.includes(vaultRoot) ? [`${a.who} ${a.call}: the vault's folder`] : []),
        ...places.filter((p) => text.includes(p.place)).map((p) => `${a.who} ${a.call}: where clip ${p.clipId} is in the vault`),
      ];
    });
    expect([...new Set(leaks)]).toEqual([]);
  }, 600_000);
});
