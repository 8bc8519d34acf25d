import type { Config } from "./config.ts";
import { countUsers, ensureOwner } from "./data/users.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import type { Logger } from "./lib/logger.ts";

export class StartupError extends Error {}

/** PostgreSQL when DATABASE_URL is set, otherwise the embedded database under DATA_DIR/pglite. */
export function openConfiguredDatabase(config: Config): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    caFile: config.databaseCaFile,
    passwordCommand: config.databasePasswordCommand,
    dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite`,
  });
}

/**
 * Opens the database, applies migrations, provisions the owner, and checks that someone can
 * sign in: outside local mode a server with no account refuses to start.
 */
export async function prepareDatabase(config: Config, logger: Logger): Promise<Database> {
  const database = await openConfiguredDatabase(config);
  try {
    const applied = await migrate(database.db);
    logger.info("database ready", { driver: database.kind, migrationsApplied: applied });
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
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}
