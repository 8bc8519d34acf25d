// Queries built once and run many times: the ones every page or every list runs. Drizzle then
// builds their SQL text once instead of for each request (a tenth of a list page's time), and
// PostgreSQL parses and plans each once per connection, as a named prepared statement.
import type { Db } from "./client.ts";

interface PreparedQuery {
  execute(placeholders?: Record<string, unknown>): Promise<unknown>;
}

const byDatabase = new WeakMap<Db, Map<string, PreparedQuery>>();

/**
 * The query `build` makes for `name` on `db`, built on first use and kept with the database.
 * `name` is the statement's name in PostgreSQL, unique per SQL text (at most 63 bytes): a query
 * whose shape varies (which filters it has, its order) needs one name per shape.
 */
export function prepared<Q extends PreparedQuery>(
  db: Db,
  name: string,
  build: (name: string) => Q,
): Q {
  let queries = byDatabase.get(db);
  if (!queries) {
    queries = new Map();
    byDatabase.set(db, queries);
  }
  let query = queries.get(name) as Q | undefined;
  if (!query) {
    if (Buffer.byteLength(name) > 63) throw new Error(`statement name too long: ${name}`);
    query = build(name);
    queries.set(name, query);
  }
  return query;
}
