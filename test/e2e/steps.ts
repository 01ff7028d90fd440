import type { Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCamera } from '../fixtures/camera/camera.js';
import { expect, scanAccessibility, screenshot, test as base } from './fixtures.js';
import type { SeedPerson } from './page-calls.js';
import { seedStation } from './page-calls.js';

// The steps the custody specs (and the foundation spec) take the same way:
// the station's usual people, logging in and out, the menus, the two checks
// each screen gets, and a camera docked into the watched folder. Each spec
// keeps what is its own: its start time, its other people, its flows.

export const HOUR = 3600_000;
/** Long enough that the idle lock (the foundation spec's subject) never fires while the clock jumps days. */
export const IDLE_LOCK_OUT_OF_THE_WAY = 30 * 24 * HOUR;

export interface BadgeHolder {
  badge: string;
  name: string;
  pin: string;
}

export const ADMIN = { badge: '000001', name: '王管理', password: 'Xk7 harbour lantern' };
export const CUSTODIAN: BadgeHolder = { badge: '100200', name: '李保管', pin: '802413' };
export const OFFICER: BadgeHolder = { badge: '300400', name: '张执法', pin: '514290' };
export const GENERAL: BadgeHolder = { badge: '500600', name: '赵综合', pin: '736158' };
/** The officer's camera (定人管理). */
export const SERIAL = 'DSJ-2026-0001';

/** A custodian, the officer and someone of 综合处: the people most custody flows need. */
export const CUSTODY_PEOPLE: readonly SeedPerson[] = [
  { ...CUSTODIAN, role: 'custodian' },
  { ...OFFICER, role: 'officer' },
  { ...GENERAL, role: 'general_office' },
];

/**
 * The station as its administrator leaves it: `people` (each with their own
 * PIN) and camera SERIAL kept by the officer among them, made through the
 * core's calls (the screens that make them are the foundation spec's
 * subject); the page ends on the login screen.
 */
export async function setUpStation(page: Page, url: string, people: readonly SeedPerson[] = CUSTODY_PEOPLE): Promise<void> {
  const keeperIndex = people.findIndex((p) => p.badge === OFFICER.badge);
  if (keeperIndex < 0) throw new Error('setUpStation: the camera is the officer\'s; list OFFICER among the people');
  await seedStation(page, url, ADMIN, people, { serial: SERIAL, keeperIndex });
  await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
}

/**
 * Both checks every screen gets, a screenshot and an accessibility scan, each
 * named `<prefix>-<name>` so the specs' screenshots do not overwrite each other.
 */
export function screenChecks(prefix?: string): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    const full = prefix ? `${prefix}-${name}` : name;
    await screenshot(page, full);
    await scanAccessibility(page, full);
  };
}

/** Badge and PIN as the reader and keypad type them, then the greeting. */
export async function loginBadge(page: Page, who: BadgeHolder): Promise<void> {
  await expect(page.getByLabel('刷警号')).toBeFocused();
  await page.keyboard.type(who.badge);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('PIN', { exact: true })).toBeFocused();
  await page.keyboard.type(who.pin);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: `您好，${who.name}` })).toBeVisible();
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出', exact: true }).click();
  await expect(page.getByRole('heading', { name: '登录', level: 1 })).toBeVisible();
}

/** A screen's link in the main menu. */
export function menu(page: Page, name: string) {
  return page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name, exact: true });
}

/** A screen's link in the header: the main menu, or for an officer (no menu) the header's own link. */
export function headerLink(page: Page, name: string) {
  return page.getByRole('banner').getByRole('link', { name, exact: true });
}

/** A test with its own watched folder (`watchDir`), emptied away after it; the spec passes it to the harness. */
export const test = base.extend<{ watchDir: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  watchDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-watch-'));
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

/**
 * An emulated camera's volume (two one-second clips) written next to the
 * watched folder, then moved in whole as `name`: the station never sees it
 * half-written. `clipBytes` pads each clip to that size; the camera's clock is
 * right unless `clockOffsetSeconds` says otherwise; `prepare` may add to the
 * volume before it moves in. Returns the folder.
 */
export async function dock(
  watchDir: string,
  camera: { serial: string; badge: string; now: number },
  options: { name?: string; clipBytes?: number; clockOffsetSeconds?: number; prepare?: (volume: string) => void } = {},
): Promise<string> {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'station-camera-'));
  try {
    const out = path.join(staging, 'volume');
    await makeCamera({
      out,
      serial: camera.serial,
      badge: camera.badge,
      now: camera.now,
      clockOffsetSeconds: options.clockOffsetSeconds ?? 0,
      clips: 2,
      seconds: 1,
      ...(options.clipBytes === undefined ? {} : { clipBytes: options.clipBytes }),
    });
    options.prepare?.(out);
    const target = path.join(watchDir, options.name ?? camera.serial);
    fs.renameSync(out, target);
    return target;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
