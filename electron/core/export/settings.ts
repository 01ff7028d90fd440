// The export settings (第二十条): whether every export waits for a department head's approval,
// not only those the rule names (secret clips, no case, a purpose other than evidence).
import type { ExportSettings } from '../../../shared/export.js';
import type { Db } from '../db/open.js';
import { readSetting, writeSetting } from '../db/settings.js';

/** By default 综合处's evidence discs for a case are approved by being made (第十七条). */
export const DEFAULT_EXPORT_SETTINGS: Readonly<ExportSettings> = { requireApprovalForAll: false };

const KEY = 'export';

export class ExportSettingsStore {
  constructor(private readonly db: Db) {}

  get(): ExportSettings {
    const value = readSetting(this.db, KEY);
    if (value === null) return { ...DEFAULT_EXPORT_SETTINGS };
    try {
      const stored = JSON.parse(value) as Partial<ExportSettings> | null;
      // A value edited by hand into something else falls back to the stricter choice.
      return { requireApprovalForAll: typeof stored?.requireApprovalForAll === 'boolean' ? stored.requireApprovalForAll : true };
    } catch {
      return { requireApprovalForAll: true };
    }
  }

  /** Must run inside a write transaction. */
  put(settings: ExportSettings): void {
    writeSetting(this.db, KEY, JSON.stringify({ requireApprovalForAll: settings.requireApprovalForAll }));
  }
}
