import { describe, expect, it } from 'vitest';
import { dayStartAt, filtersQuery, parseFilters, searchFilter } from '../../renderer/features/library/filters.js';
import { href, parseRoute } from '../../renderer/app/route.js';

// The library's search lives in the URL and its days are the station's: a
// search reopened from its link must ask the core the same question, and a
// day must start at the station's midnight, not the machine's.

describe('library filters in the URL', () => {
  it('reads back what it wrote, in one normal form', () => {
    const f = { officerId: 3, deviceId: 9, fromDay: '2026-11-01', toDay: '2026-11-27', important: true, kind: 'video', workType: 'investigation', damaged: false, confidentiality: 'internal', caseId: 12 } as const;
    const q = filtersQuery(f);
    expect(q).toBe('officer=3&camera=9&from=2026-11-01&to=2026-11-27&important=1&kind=video&work=investigation&damaged=0&level=internal&case=12');
    expect(parseFilters(q)).toEqual(f);
    expect(filtersQuery(parseFilters('kind=video&important=1'))).toBe(filtersQuery(parseFilters('important=1&kind=video')));
  });

  it('drops what it cannot read rather than refusing an old link', () => {
    expect(parseFilters('officer=-1&camera=x&from=27.11.2026&kind=film&important=maybe&level=top&case=1.5&other=1')).toEqual({});
  });

  it('routes #/library with its query and #/clips/<id>', () => {
    expect(parseRoute('#/library?kind=video&important=1')).toEqual({ screen: 'library', query: 'kind=video&important=1' });
    expect(parseRoute('#/library')).toEqual({ screen: 'library', query: '' });
    expect(parseRoute('#/clips/42')).toEqual({ screen: 'clip', id: 42 });
    expect(parseRoute('#/clips/abc')).toEqual({ screen: 'library', query: '' });
    expect(href({ screen: 'library', query: 'kind=audio' })).toBe('#/library?kind=audio');
    expect(href({ screen: 'clip', id: 7 })).toBe('#/clips/7');
    // Other screens are untouched by the query split.
    expect(parseRoute('#/devices/12')).toEqual({ screen: 'device', id: 12 });
  });
});

describe('days on the station clock', () => {
  it('starts a day at the station zone midnight', () => {
    expect(dayStartAt('2026-11-27', 'Asia/Shanghai')).toBe(Date.parse('2026-11-27T00:00:00+08:00'));
    expect(dayStartAt('2026-11-27', 'UTC')).toBe(Date.parse('2026-11-27T00:00:00Z'));
    // Either side of a daylight-saving change.
    expect(dayStartAt('2026-03-29', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T00:00:00+01:00'));
    expect(dayStartAt('2026-03-30', 'Europe/Berlin')).toBe(Date.parse('2026-03-30T00:00:00+02:00'));
  });

  it('asks the core for the last day whole: `to` is the next midnight', () => {
    expect(searchFilter({ fromDay: '2026-11-27', toDay: '2026-11-30', kind: 'audio' }, 'Asia/Shanghai')).toEqual({
      from: Date.parse('2026-11-27T00:00:00+08:00'),
      to: Date.parse('2026-12-01T00:00:00+08:00'),
      kind: 'audio',
    });
  });
});
