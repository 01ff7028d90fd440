import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, rowHash } from '../../electron/core/audit/log.js';
import { isLocked } from '../../electron/core/auth/lockout.js';
import { checkNewPin, isGuessablePin, oneTimePin } from '../../electron/core/people/secrets.js';
import { seededRandom } from '../support/station.js';

const row = {
  seq: 1,
  at: 1_700_000_000_000,
  actor_kind: 'person' as const,
  actor_id: 1,
  actor_label: '管理员 (000001)',
  action: 'device.registered',
  object_type: 'device',
  object_id: '1',
  before_json: null,
  after_json: '{"serial":"A"}',
  prev_hash: GENESIS_HASH,
};

describe('audit row hash', () => {
  it('is a stable SHA-256 over every column but itself', () => {
    expect(rowHash(row)).toMatch(/^[0-9a-f]{64}$/);
    expect(rowHash({ ...row })).toBe(rowHash(row));
  });
  it('changes when any column changes', () => {
    const base = rowHash(row);
    for (const [k, v] of Object.entries({ seq: 2, at: 1, actor_label: 'x', action: 'y', object_id: '2', after_json: '{}', prev_hash: 'f'.repeat(64) })) {
      expect(rowHash({ ...row, [k]: v })).not.toBe(base);
    }
  });
});

describe('lockout rule', () => {
  it('is locked strictly before the end time', () => {
    expect(isLocked(null, 5)).toBe(false);
    expect(isLocked(10, 9)).toBe(true);
    expect(isLocked(10, 10)).toBe(false);
  });
});

describe('PINs', () => {
  it('one-time PINs are six digits and never guessable', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 200; i++) {
      const pin = oneTimePin(random);
      expect(pin).toMatch(/^\d{6}$/);
      expect(isGuessablePin(pin)).toBe(false);
    }
  });
  it('rejects repeated, sequential and badge-equal PINs', () => {
    for (const pin of ['000000', '123456', '987654', '2345678']) expect(isGuessablePin(pin)).toBe(true);
    expect(isGuessablePin('570914')).toBe(false);
    expect(() => checkNewPin('100200', '100200')).toThrow(/guess/);
  });
});
