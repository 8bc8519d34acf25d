// Queries built once and run many times: the ones every page or every list runs. Drizzle then
// builds their SQL text once instead of for each request (a tenth of a list page's time), and
// PostgreSQL parses and plans each once per connection, as a named prepared statement.
import { createHash } from "node:crypto";
import { type Placeholder, sql } from "drizzle-orm";
import type { Db } from "./client.ts";

interface PreparedQuery {
  execute(placeholders?: Record<string, unknown>): Promise<unknown>;
}

const byDatabase = new WeakMap<Db, Map<string, PreparedQuery>>();

/** PostgreSQL keeps the first 63 bytes of a name. */
const MAX_NAME_BYTES = 63;

/**
 * The query `build` makes for `key` on `db`, built on first use and kept with the database.
 * `key` names one SQL text: a query whose shape varies (which filters it has, its order) needs
 * one key per shape. `build` receives the statement's name (the key, or a digest of a long one).
 */
export function prepared<Q extends PreparedQuery>(
  db: Db,
  key: string,
  build: (name: string) => Q,
): Q {
  let queries = byDatabase.get(db);
  if (!queries) {
    queries = new Map();
    byDatabase.set(db, queries);
  }
  let query = queries.get(key) as Q | undefined;
  if (!query) {
    query = build(statementName(key));
    queries.set(key, query);
  }
  return query;
}

function statementName(key: string): string {
  if (Buffer.byteLength(key) <= MAX_NAME_BYTES) return key;
  const digest = createHash("sha256").update(key).digest("hex").slice(0, 16);
  return `${key.replace(/[^\w-]/g, "").slice(0, MAX_NAME_BYTES - 17)}_${digest}`;
}

/** Values a query takes, or the placeholders standing for them in its prepared form. */
export type Bound<T> = { [K in keyof T]: T[K] | Placeholder };

/** Which values a query has, for its key: their names in order. */
export const shapeOf = (values: object): string => Object.keys(values).join(",");

/** A placeholder for each value present, named after it: for the query `prepared` builds. */
export function placeholdersFor<T extends object>(values: T): Bound<T> {
  return Object.fromEntries(Object.keys(values).map((n) => [n, sql.placeholder(n)])) as Bound<T>;
}
