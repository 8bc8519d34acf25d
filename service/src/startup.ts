import type { Config } from "./config.ts";
import type { DatabaseConfig } from "./config-database.ts";
import { countUsers, ensureOwner } from "./data/users.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { EmbeddedDatabaseBusyError } from "./db/embedded-lock.ts";
import { describeCause, isDatabaseUnavailable } from "./db/errors.ts";
import { migrate, pendingMigrationsReason } from "./db/migrate.ts";
import type { Logger } from "./lib/logger.ts";

export class StartupError extends Error {}

/** With MIGRATIONS=external: the schema is behind this build; the server waits until it is not. */
export class SchemaBehindError extends Error {}

/**
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded database under DATA_DIR/pglite,
 * which one process at a time may open: `holder` names this one to a process that is refused.
 */
export function openConfiguredDatabase(
  config: DatabaseConfig,
  holder: { command: string; port?: number },
): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    caFile: config.databaseCaFile,
    passwordCommand: config.databasePasswordCommand,
    passwordFile: config.databasePasswordFile,
    dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite`,
    holder,
  });
}

/**
 * For command-line entry points: the database, or undefined after printing on stderr why it
 * cannot be opened now (the embedded one is in use by another process; the caller exits 2).
 */
export async function openDatabaseForCommand(
  config: DatabaseConfig,
  command: string,
): Promise<Database | undefined> {
  try {
    return await openConfiguredDatabase(config, { command });
  } catch (err) {
    if (!(err instanceof EmbeddedDatabaseBusyError)) throw err;
    console.error(err.message);
    return undefined;
  }
}

/** The server's own database: for the embedded one, the lock names it with its port. */
export function openServerDatabase(config: Config): Promise<Database> {
  return openConfiguredDatabase(config, {
    command: "the Expense Tracker server",
    port: config.port,
  });
}

/**
 * Applies migrations (or, with MIGRATIONS=external, checks that they are applied), provisions the
 * owner, and checks that someone can sign in: outside local mode a server with no account refuses
 * to start (StartupError).
 */
export async function prepareSchema(
  database: Database,
  config: Pick<Config, "migrations" | "owner" | "localMode">,
  logger: Logger,
): Promise<void> {
  if (config.migrations === "external") {
    const pending = await pendingMigrationsReason(database.db);
    if (pending) {
      throw new SchemaBehindError(
        `${pending} (MIGRATIONS=external: the migration command applies them, e.g. npm run db:migrate)`,
      );
    }
    logger.info("database ready", { driver: database.kind, migrations: "external" });
  } else {
    const applied = await migrate(database.db);
    logger.info("database ready", { driver: database.kind, migrationsApplied: applied });
  }
  if (config.owner) {
    const created = await ensureOwner(database.db, config.owner);
    logger.info(created ? "owner account created" : "owner account exists", {
      email: config.owner.email,
    });
  }
  if (!config.localMode && (await countUsers(database.db)) === 0) {
    throw new StartupError(
      "no account exists and this is not local mode: set OWNER_EMAIL and OWNER_PASSWORD_FILE, or run `npm run user:add -- --email you@example.com`",
    );
  }
}

/** Opens the server's database and prepares it; closes it again when that fails. */
export async function prepareDatabase(config: Config, logger: Logger): Promise<Database> {
  const database = await openServerDatabase(config);
  try {
    await prepareSchema(database, config, logger);
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}

/** Pauses between attempts to reach the database at start-up: 0.25 s doubling to 2 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** (attempt - 1), 2_000);
}

/** Pauses between checks of a schema that is behind (MIGRATIONS=external): 1 s doubling to 10 s. */
export function schemaRetryDelayMs(attempt: number): number {
  return Math.min(1_000 * 2 ** (attempt - 1), 10_000);
}

/**
 * Prepares the database, trying again with backoff for as long as it is unreachable (an RDS
 * backup or maintenance window, or a reboot that started the service first) or, with
 * MIGRATIONS=external, its schema is behind; one warning per try. Other failures (a bad
 * migration, StartupError) are thrown at once.
 */
export async function waitForDatabase(
  database: Database,
  config: Pick<Config, "migrations" | "owner" | "localMode">,
  logger: Logger,
  onWaiting: (reason: string) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await prepareSchema(database, config, logger);
      return;
    } catch (err) {
      if (err instanceof SchemaBehindError) {
        const delay = schemaRetryDelayMs(attempt);
        onWaiting(err.message);
        logger.warn("start-up: the schema is behind this build; checking again", {
          attempt,
          retryInMs: delay,
          error: err.message,
        });
        await sleep(delay);
        continue;
      }
      if (!isDatabaseUnavailable(err)) throw err;
      const delay = retryDelayMs(attempt);
      const reason = `database unreachable: ${describeCause(err)}`;
      onWaiting(reason);
      logger.warn("start-up: database unreachable; trying again", {
        attempt,
        retryInMs: delay,
        error: describeCause(err),
      });
      await sleep(delay);
    }
  }
}
