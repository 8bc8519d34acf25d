// What `npm run backup` and `npm run restore` share: the flags, the account, the database.
import { parseArgs } from "node:util";
import { loadConfigOrReport } from "../config.ts";
import { findUserByEmail } from "../data/users.ts";
import type { Database } from "../db/client.ts";
import { pendingMigrationsReason } from "../db/migrate.ts";
import type { User } from "../db/schema.ts";
import { openDatabaseForCommand } from "../startup.ts";

/** Exit statuses: 0 done, 1 refused (the file, the account), 2 bad usage or unusable setup. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;

/** The flags, or undefined after printing what is wrong and the usage line. */
export function readFlags<K extends string>(
  argv: string[],
  names: readonly K[],
  usage: string,
): Record<K, string> | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: Object.fromEntries(names.map((n) => [n, { type: "string" as const }])),
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return undefined;
  }
  const missing = names.filter((n) => typeof values[n] !== "string" || values[n] === "");
  if (missing.length > 0) {
    console.error(`${missing.map((n) => `--${n}`).join(" and ")} required\n${usage}`);
    return undefined;
  }
  return values as Record<K, string>;
}

/**
 * Opens the configured database (PostgreSQL with DATABASE_URL, else the embedded one, which must
 * not be in use by a running server), checks its schema, finds the account, and runs `work`.
 */
export async function withAccount(
  command: string,
  email: string,
  work: (database: Database, user: User) => Promise<number>,
): Promise<number> {
  const config = loadConfigOrReport(process.env);
  if (!config) return EXIT.usage;
  const database = await openDatabaseForCommand(config, command);
  if (!database) return EXIT.usage;
  try {
    const pending = await pendingMigrationsReason(database.db);
    if (pending) {
      console.error(
        `the database schema is behind this version (${pending}): run npm run db:migrate first`,
      );
      return EXIT.usage;
    }
    const user = await findUserByEmail(database.db, email);
    if (!user) {
      console.error(`no account with the email ${email} (create one with npm run user:add)`);
      return EXIT.refused;
    }
    return await work(database, user);
  } finally {
    await database.close();
  }
}

export const megabytes = (bytes: number) =>
  bytes < 1024 * 1024
    ? `${(bytes / 1024).toFixed(1)} KB`
    : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
