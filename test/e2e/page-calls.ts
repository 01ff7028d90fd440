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
