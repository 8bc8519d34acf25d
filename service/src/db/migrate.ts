import { type SQL, sql } from "drizzle-orm";
import { loadMigrations, type Migration } from "../embedded.ts";
import type { Db } from "./client.ts";

let shipped: Migration[] | undefined;
/** The migrations this build ships, read once (readiness checks ask on every probe). */
function shippedMigrations(): Migration[] {
  shipped ??= loadMigrations();
  return shipped;
}

// Any constant shared by every process of this app; pg_advisory_xact_lock serialises them.
const MIGRATION_LOCK_KEY = 727_274_001;

/**
 * Applies pending migrations in one transaction that holds an advisory lock, so two processes
 * starting at once never race: the second waits, then finds nothing left to do. When every
 * migration is already applied it only reads.
 * Returns the tags it applied.
 */
export async function migrate(
  db: Db,
  migrations: Migration[] = shippedMigrations(),
): Promise<string[]> {
  // Nothing to do needs no DDL and no lock: a role without CREATE (the app role) may call this.
  const current = await appliedMigrations(db);
  if (migrations.every((m) => current.get(m.tag) === m.hash)) return [];
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create table if not exists schema_migrations (
      tag text primary key,
      hash text not null,
      applied_at timestamptz not null default now()
    )`);
    const applied = await appliedMigrations(tx as unknown as Db);
    const done: string[] = [];
    for (const m of migrations) {
      const previous = applied.get(m.tag);
      if (previous !== undefined) {
        if (previous !== m.hash) {
          throw new Error(`migration ${m.tag} was changed after it was applied`);
        }
        continue;
      }
      for (const statement of m.statements) await tx.execute(sql.raw(statement));
      await tx.execute(sql`insert into schema_migrations (tag, hash) values (${m.tag}, ${m.hash})`);
      done.push(m.tag);
    }
    return done;
  });
}

/** Tag to hash of every applied migration; empty when the tracking table does not exist yet. */
export async function appliedMigrations(db: Db): Promise<Map<string, string>> {
  const [exists] = await selectRows<{ t: string | null }>(
    db,
    sql`select to_regclass('schema_migrations')::text as t`,
  );
  if (!exists?.t) return new Map();
  const rows = await selectRows<{ tag: string; hash: string }>(
    db,
    sql`select tag, hash from schema_migrations`,
  );
  return new Map(rows.map((r) => [r.tag, r.hash]));
}

/** Rows of a raw query; both drivers (node-postgres and PGlite) answer with `{ rows }`. */
async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** The reason the schema is not ready, or undefined when every migration is applied. */
export async function pendingMigrationsReason(
  db: Db,
  migrations: Migration[] = shippedMigrations(),
): Promise<string | undefined> {
  const applied = await appliedMigrations(db);
  const missing = migrations.filter((m) => !applied.has(m.tag)).map((m) => m.tag);
  return missing.length > 0 ? `migrations not applied: ${missing.join(", ")}` : undefined;
}
