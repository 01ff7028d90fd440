// The viewing settings (第十八条): which role approves view requests, and whether officers may view
// their own recent footage without one. One JSON value in station_setting, as the custody rules.
import type { ViewingSettings } from '../../../shared/viewing.js';
import { approverRoleChoices, MAX_OWN_FOOTAGE_DAYS } from '../../../shared/viewing.js';
import type { Db } from '../db/open.js';
import { readSetting, writeSetting } from '../db/settings.js';

/**
 * The defaults: the department head approves (支队主要负责人, 第十八条), and officers see nothing of
 * their own without a request, since the regulation makes no exception; a unit that lets officers
 * review their footage for their reports turns it on with a number of days.
 */
export const DEFAULT_VIEWING_SETTINGS: Readonly<ViewingSettings> = { approverRole: 'department_head', ownFootageDays: 0 };

const KEY = 'viewing';

const valid: { [K in keyof ViewingSettings]: (v: unknown) => boolean } = {
  approverRole: (v) => typeof v === 'string' && (approverRoleChoices as readonly string[]).includes(v),
  ownFootageDays: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_OWN_FOOTAGE_DAYS,
};

export class ViewingSettingsStore {
  constructor(private readonly db: Db) {}

  get(): ViewingSettings {
    const value = readSetting(this.db, KEY);
    const out: Record<string, unknown> = { ...DEFAULT_VIEWING_SETTINGS };
    if (value === null) return out as unknown as ViewingSettings;
    let stored: Record<string, unknown> | null;
    try {
      stored = JSON.parse(value) as Record<string, unknown> | null;
    } catch {
      stored = null;
    }
    // Field by field: one bad value (edited by hand) falls back to its default alone.
    for (const key of Object.keys(valid) as Array<keyof ViewingSettings>) {
      const v = stored?.[key];
      if (valid[key](v)) out[key] = v;
    }
    return out as unknown as ViewingSettings;
  }

  /** Must run inside a write transaction. */
  put(settings: ViewingSettings): void {
    writeSetting(this.db, KEY, JSON.stringify({ approverRole: settings.approverRole, ownFootageDays: settings.ownFootageDays }));
  }
}
