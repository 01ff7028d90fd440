import type { Page } from '@playwright/test';

type Invoke = (name: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;

/**
 * Calls the core over the page's own connection (as the person logged in
 * there): specs seed people and cameras this way when the screens that make
 * them are another spec's subject.
 */
export async function call<T>(page: Page, name: string, input: unknown): Promise<T> {
  const r = await page.evaluate(
    async ([n, i]) => (window as unknown as { station: { invoke: Invoke } }).station.invoke(n as string, i),
    [name, input] as const,
  );
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

export interface SeedPerson {
  badge: string;
  name: string;
  pin: string;
  role: string;
  unit?: string;
}

/**
 * A station as its administrator leaves it: the given people (each having
 * replaced their one-time PIN with their own) and one camera kept by
 * `keeperIndex`, made through the core's calls; the page ends on the login screen.
 */
export async function seedStation(
  page: Page,
  url: string,
  admin: { badge: string; name: string; password: string },
  people: readonly SeedPerson[],
  camera: { serial: string; keeperIndex: number },
): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: '首次设置：创建系统管理员' }).waitFor();
  await call(page, 'station.setup', admin);
  const made: Array<{ badge: string; pin: string; oneTimePin: string; id: number }> = [];
  for (const p of people) {
    const r = await call<{ person: { id: number }; oneTimePin: string }>(page, 'people.create', {
      badge: p.badge,
      name: p.name,
      ...(p.unit ? { unit: p.unit } : {}),
      roles: [p.role],
    });
    made.push({ badge: p.badge, pin: p.pin, oneTimePin: r.oneTimePin, id: r.person.id });
  }
  await call(page, 'devices.register', { serial: camera.serial, model: 'DSJ-V8', keeperId: made[camera.keeperIndex]!.id });
  for (const m of made) {
    await call(page, 'auth.logout', {});
    await call(page, 'auth.loginBadge', { badge: m.badge, pin: m.oneTimePin });
    await call(page, 'auth.changePin', { currentPin: m.oneTimePin, newPin: m.pin });
  }
  await call(page, 'auth.logout', {});
  await page.reload();
  await page.getByRole('heading', { name: '登录', level: 1 }).waitFor();
}
