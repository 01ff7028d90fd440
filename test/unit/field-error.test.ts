import { describe, expect, it } from 'vitest';
import { fieldError } from '../../renderer/app/errors.js';
import type { StationErrorBody } from '../../shared/errors.js';

// Which form field a core error belongs to: the renderer shows it there, so an
// error that matches no field is only shown in the form's general alert.
const t = (key: string) => `«${key}»`;
const known = new Set(['validation.reason', 'validation.roles']);
const has = (key: string) => known.has(key);
const invalid = (...paths: string[]): StationErrorBody => ({
  code: 'invalid_input',
  message: 'x',
  details: { issues: paths.map((path) => ({ path, message: 'bad' })) },
});

describe('fieldError', () => {
  it('puts an issue inside a list field on that field', () => {
    expect(fieldError(t, invalid('roles.0'), 'roles', has)).toBe('«validation.roles»');
    expect(fieldError(t, invalid('roles.0'), 'role', has)).toBeUndefined();
  });

  it('puts an issue of a nested input on the nested field, with the sentence of its last name', () => {
    const e = invalid('exception.reason');
    expect(fieldError(t, e, 'exception.reason', has)).toBe('«validation.reason»');
    expect(fieldError(t, e, 'exception.declaredReturn', has)).toBeUndefined();
    expect(fieldError(t, invalid('exception.declaredReturn'), 'exception.declaredReturn', has)).toBe('«validation.generic»');
    expect(fieldError(t, e, 'exception', has)).toBe('«validation.generic»');
  });

  it('names a conflicting field from the details', () => {
    const e: StationErrorBody = { code: 'conflict', message: 'x', details: { field: 'serial' } };
    expect(fieldError(t, e, 'serial', has)).toBe('«errors.conflict»');
    expect(fieldError(t, e, 'model', has)).toBeUndefined();
    expect(fieldError(t, null, 'serial', has)).toBeUndefined();
  });
});
