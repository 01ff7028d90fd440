// Walks the whole contract table with malformed and hostile payloads: every call
// must answer invalid_input (naming the field) or its proper error code, never
// crash the core, and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callNames, contract } from '../../shared/contract.js';
import type { Result } from '../../shared/errors.js';
import { errorCodes } from '../../shared/errors.js';
import type { Client, TestStation } from '../support/station.js';
import { withAdmin } from '../support/station.js';

const HUGE = 'x'.repeat(5_000_000);

/** Everything the database holds, to show a rejected call changed nothing. */
function snapshot(t: TestStation): string {
  const tables = t.station.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
  return JSON.stringify(tables.map((name) => [name, t.station.db.prepare(`SELECT * FROM "${name}"`).all()]));
}

function wrongTypeFor(schema: z.ZodType): unknown {
  // A value of a kind no field of the contract accepts in that position.
  const def = (schema as unknown as { def?: { type?: string } }).def;
  switch (def?.type) {
    case 'string':
      return 12345;
    case 'number':
      return '12';
    case 'boolean':
      return 'true';
    case 'array':
      return 'not-an-array';
    default:
      return { nested: { deep: [1, 2, 3] } };
  }
}

function shapeOf(name: (typeof callNames)[number]): Record<string, z.ZodType> {
  return (contract[name].input as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
}

function expectRejected(result: Result<unknown>, allowed: readonly string[] = ['invalid_input']) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(errorCodes).toContain(result.error.code);
  expect(allowed).toContain(result.error.code);
  expect(result.error.message.length).toBeGreaterThan(0);
}

describe('every contract call rejects bad input and writes nothing', () => {
  let t: Awaited<ReturnType<typeof withAdmin>>;
  let anonymous: Client;
  let before: string;

  beforeAll(async () => {
    t = await withAdmin();
    anonymous = t.ui();
    before = snapshot(t);
  });
  afterAll(() => t.close());

  const hostile: Array<[string, unknown]> = [
    ['null', null],
    ['a number', 42],
    ['a string', 'station'],
    ['an array', [1, 2]],
    ['an unknown field', { unexpected: true }],
    ['a prototype key', JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {}}}')],
  ];

  for (const name of callNames) {
    describe(name, () => {
      for (const [label, payload] of hostile) {
        it(`answers invalid_input to ${label}`, async () => {
          for (const client of [t.admin, anonymous]) {
            expectRejected(await client.connection.invoke(name, payload));
          }
        });
      }

      const shape = shapeOf(name);
      for (const field of Object.keys(shape)) {
        it(`names the field “${field}” when its type is wrong`, async () => {
          const r = await t.admin.connection.invoke(name, { [field]: wrongTypeFor(shape[field]!) });
          expectRejected(r);
          if (!r.ok) {
            const paths = (r.error.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
            expect(paths).toContain(field);
          }
        });
        it(`rejects a huge value in “${field}”`, async () => {
          const r = await t.admin.connection.invoke(name, { [field]: HUGE });
          expectRejected(r);
        });
      }

      const required = Object.entries(shape).filter(([, s]) => !s.safeParse(undefined).success);
      if (required.length > 0) {
        it('answers invalid_input when required fields are missing', async () => {
          const r = await t.admin.connection.invoke(name, {});
          expectRejected(r);
          if (!r.ok) {
            const paths = (r.error.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
            for (const [field] of required) expect(paths).toContain(field);
          }
        });
      }
    });
  }

  it('answers unknown_call to names outside the contract', async () => {
    for (const name of ['', 'nope', '__proto__', 'constructor', 'toString', 'station.status ', 'STATION.STATUS', 42, null, {}]) {
      const r = await t.admin.connection.invoke(name as string, {});
      expectRejected(r, ['unknown_call']);
    }
  });

  it('has written nothing and still answers a valid call afterwards', async () => {
    expect(snapshot(t)).toBe(before);
    const status = await t.admin.ok('station.status', {});
    expect(status.initialized).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
