import { readFileSync } from "node:fs";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** `postgres` (node-postgres pool) or `embedded` (PGlite). */
  kind: "postgres" | "embedded";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite database is opened. */
  url?: string | undefined;
  /** PEM bundle to verify the server certificate with (TLS required when set). */
  caFile?: string | undefined;
  /** Where PGlite keeps its files; in memory when absent. */
  dataDir?: string | undefined;
  /** Pool size for PostgreSQL. Default 10. */
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openEmbedded(options.dataDir);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const { default: pg } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(options.caFile
      ? { ssl: { ca: readFileSync(options.caFile, "utf8"), rejectUnauthorized: true } }
      : {}),
  });
  // An idle client that loses its connection emits 'error'; the pool replaces it.
  pool.on("error", () => {});
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  return { db, kind: "postgres", close: () => pool.end() };
}

async function openEmbedded(dataDir: string | undefined): Promise<Database> {
  // Loaded lazily so the production bundle, which always has DATABASE_URL, leaves PGlite out.
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle({ client, schema }) as unknown as Db;
  return { db, kind: "embedded", close: () => client.close() };
}
