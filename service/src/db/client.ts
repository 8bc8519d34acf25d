import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import type { ConnectionOptions } from "node:tls";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { PoolConfig } from "pg";
import { DumpGate, dumpEmbedded, gatedClient } from "./embedded-dump.ts";
import { lockEmbeddedDatabase } from "./embedded-lock.ts";
import { PasswordCache, rotatingPasswordPool, runPasswordCommand } from "./password-command.ts";
import * as schema from "./schema.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** `postgres` (node-postgres pool) or `embedded` (PGlite). */
  kind: "postgres" | "embedded";
  /**
   * Embedded only: the whole database as SQL (pg_dump), taken by this process while it serves.
   * Undefined for PostgreSQL, which has pg_dump and its own backups.
   */
  dump?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite database is opened. */
  url?: string | undefined;
  /** PEM bundle to verify the server certificate and host name with (TLS required when set). Default none. */
  caFile?: string | undefined;
  /**
   * Program and arguments (no shell) printing the password; run for the first connection and again
   * after PostgreSQL rejects the password, so a rotated secret needs no restart. Default none.
   */
  passwordCommand?: readonly string[] | undefined;
  /**
   * File holding the password; read for the first connection and again after PostgreSQL rejects
   * the password. Default none.
   */
  passwordFile?: string | undefined;
  /** Where PGlite keeps its files; in memory when absent. */
  dataDir?: string | undefined;
  /**
   * Who opens the embedded database under `dataDir`, for the message a second process gets
   * (one process at a time can open it). Default "a command".
   */
  holder?: { command: string; port?: number } | undefined;
  /** Pool size for PostgreSQL. Default 10. */
  maxConnections?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url
    ? openPostgres(options.url, options)
    : openEmbedded(options.dataDir, options.holder);
}

/**
 * URL parameters that node-postgres lets replace the TLS settings given next to the URL
 * (`sslmode=disable` turns TLS off, `sslmode=no-verify` stops verification).
 */
export function tlsParametersInUrl(url: string): string[] {
  const names = [...(parseUrl(url)?.searchParams.keys() ?? [])];
  return [...new Set(names.filter((n) => n.startsWith("ssl") || n === "uselibpqcompat"))];
}

/** Whether the connection string carries a password (in the authority or as `?password=`). */
export function passwordInUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return !!parsed && (parsed.password !== "" || parsed.searchParams.has("password"));
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const { default: pg } = await import("pg");
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const overrides = tlsParametersInUrl(url);
  if (options.caFile && overrides.length > 0) {
    throw new Error(
      `the database URL sets ${overrides.join(", ")}, which would override the verified TLS of the CA file; remove it`,
    );
  }
  const config: PoolConfig = {
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(options.caFile ? { ssl: verifiedTls(url, options.caFile) } : {}),
  };
  const fetchPassword = passwordSource(options);
  const pool = fetchPassword
    ? rotatingPasswordPool(pg, config, new PasswordCache(fetchPassword))
    : new pg.Pool(config);
  // A client that loses its connection emits 'error': the pool's event for an idle one (it is
  // replaced), the client's own for one checked out, inside a transaction say. Unhandled, that
  // one would end the process; the query in flight fails on its own and says why.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  return { db, kind: "postgres", close: () => pool.end() };
}

/** Where new connections get their password from, when it is not in the URL. */
function passwordSource(options: DatabaseOptions): (() => Promise<string>) | undefined {
  const { passwordCommand: command, passwordFile: file } = options;
  if (command) return () => runPasswordCommand(command);
  if (!file) return undefined;
  return async () => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      throw new Error(`cannot read the database password file ${file}: ${(err as Error).message}`);
    }
    const password = text.replace(/\r?\n$/, "");
    if (password === "") throw new Error(`the database password file ${file} is empty`);
    return password;
  };
}

/** TLS that trusts only `caFile` and checks the certificate names the host we dial. */
function verifiedTls(url: string, caFile: string): ConnectionOptions {
  const parsed = parseUrl(url);
  const host = parsed?.searchParams.get("host") ?? parsed?.hostname.replace(/^\[(.*)\]$/, "$1");
  // SNI must not be an IP address; for one, Node checks the certificate against the dialled `host`.
  const servername = host && isIP(host) === 0 ? { servername: host } : {};
  return { ca: readFileSync(caFile, "utf8"), rejectUnauthorized: true, ...servername };
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

async function openEmbedded(
  dataDir: string | undefined,
  holder: DatabaseOptions["holder"],
): Promise<Database> {
  // Taken before PGlite touches the folder: a refused process writes nothing.
  const lock = dataDir
    ? lockEmbeddedDatabase(dataDir, holder ?? { command: "a command" })
    : undefined;
  try {
    // Loaded lazily so the production bundle, which always has DATABASE_URL, leaves PGlite out.
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const { drizzle } = await import("drizzle-orm/pglite");
    const client = new PGlite({ ...(dataDir ? { dataDir } : {}), extensions: { pg_trgm } });
    await client.waitReady;
    const gate = new DumpGate();
    const db = drizzle({ client: gatedClient(client, gate), schema }) as unknown as Db;
    const close = async () => {
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    };
    return { db, kind: "embedded", dump: () => dumpEmbedded(client, gate), close };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
