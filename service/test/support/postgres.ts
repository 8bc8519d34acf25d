import { randomBytes } from "node:crypto";
import pg from "pg";
import { ensureAppRole } from "../../src/db/app-role.ts";
import { openDatabase } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";

/** Server used by the PostgreSQL half of the suites (trust auth on these machines). */
export const ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let reachable: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; otherwise why not. Asked once per test file. */
export function postgresUnavailable(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return undefined;
    } catch (err) {
      return `PostgreSQL at ${ADMIN_URL} is not reachable (${(err as Error).message})`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/**
 * Whether the PostgreSQL half should run. On a laptop without PostgreSQL it is skipped with a
 * message; under CI=true a missing server is a failure, never a silent skip.
 */
export async function requirePostgres(): Promise<boolean> {
  const why = await postgresUnavailable();
  if (!why) return true;
  if (process.env.CI) throw new Error(`${why}; CI requires it`);
  console.warn(`skipping the PostgreSQL suites: ${why}`);
  return false;
}

export interface ThrowawayDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database for one test file; `drop()` removes it. */
export async function createThrowawayDatabase(): Promise<ThrowawayDatabase> {
  const name = `et_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface AppRoleDatabase extends ThrowawayDatabase {
  /** The restricted role the app connects as. */
  appRole: string;
  /** Connects as `appRole` (with its password, which trust auth ignores here). */
  appUrl: string;
}

/**
 * A throwaway database as the migration command leaves it: migrated by its owner (`url`), with a
 * restricted app role made by the same function (`appUrl`). `drop()` removes both.
 */
export async function createAppRoleDatabase(): Promise<AppRoleDatabase> {
  const throwaway = await createThrowawayDatabase();
  const appRole = `${throwaway.name}_app`;
  const password = randomBytes(24).toString("base64url");
  const owner = await openDatabase({ url: throwaway.url, maxConnections: 1 });
  try {
    await migrate(owner.db);
    await ensureAppRole(owner.db, { role: appRole, password });
  } finally {
    await owner.close();
  }
  const appUrl = new URL(throwaway.url);
  appUrl.username = appRole;
  appUrl.password = password;
  return {
    ...throwaway,
    appRole,
    appUrl: appUrl.toString(),
    async drop() {
      await throwaway.drop();
      await dropRole(appRole);
    },
  };
}

/** Drops a role made for a test (roles belong to the server, not to a database). */
export async function dropRole(role: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(`drop role if exists "${role.replaceAll('"', '""')}"`);
  } finally {
    await c.end();
  }
}
