import type Database from 'better-sqlite3';

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * A statement prepared once per database and reused: repositories write SQL
 * where it is used and still pay the prepare only on first use.
 */
export function prepared<P extends unknown[] | object = unknown[], R = unknown>(
  db: Database.Database,
  sql: string,
): Database.Statement<P, R> {
  let map = cache.get(db);
  if (!map) cache.set(db, (map = new Map()));
  let stmt = map.get(sql);
  if (!stmt) map.set(sql, (stmt = db.prepare(sql)));
  return stmt as unknown as Database.Statement<P, R>;
}

/**
 * `INSERT INTO table (a, b, …) VALUES (?, ?, …)`, for values bound by
 * position: better-sqlite3 looks every named parameter up by name on each run,
 * which cost about an eighth of a clip insert (bench:index). Bind with
 * `columns.map((c) => row[c])`.
 */
export function positionalInsertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
}

/**
 * `true` when `Columns` names every key of `Row`, else the keys it misses:
 * `const complete: EveryColumn<Row, typeof COLUMNS> = true` fails to compile
 * when a column is added to the row type but not to the insert.
 */
export type EveryColumn<Row, Columns extends readonly unknown[]> =
  [Exclude<keyof Row, Columns[number]>] extends [never] ? true : Exclude<keyof Row, Columns[number]>;
