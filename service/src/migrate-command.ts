// The migration command (`npm run db:migrate`, and `node expense-tracker.mjs migrate` on the
// instance): applies pending migrations as the tables' owner under the advisory lock and, given
// an app role, creates or updates it with only the app's privileges. It waits, with backoff and
// for a bounded time, while PostgreSQL does not answer (a backup or maintenance window, a reboot).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadDatabaseConfig } from "./config-database.ts";
import { type AppRoleOptions, checkAppRoleOptions, ensureAppRole } from "./db/app-role.ts";
import { describeCause, isDatabaseUnavailable } from "./db/errors.ts";
import { migrate } from "./db/migrate.ts";
import type { Logger } from "./lib/logger.ts";
import { openDatabaseForCommand } from "./startup.ts";

export const MIGRATE_USAGE =
  "usage: npm run db:migrate -- [--app-role NAME --app-password-file FILE] [--wait SECONDS]\n" +
  "       (the artifact: node expense-tracker.mjs migrate [the same options])";

/** How long the command waits for PostgreSQL to answer, unless --wait says otherwise. */
export const DEFAULT_WAIT_SECONDS = 900;

export interface MigrateCommandDeps {
  env: Record<string, string | undefined>;
  logger: Logger;
  /** Where usage and configuration errors go. Default stderr. */
  complain?: (line: string) => void;
  /** False in the production build (no PGlite). Default true. */
  embeddedAvailable?: boolean;
  /** Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Default Date.now. */
  now?: () => number;
}

/** Pauses while PostgreSQL does not answer: 1 s doubling to 30 s. */
export function migrateRetryDelayMs(attempt: number): number {
  return Math.min(1_000 * 2 ** (attempt - 1), 30_000);
}

type Parsed = { appRole?: AppRoleOptions; waitSeconds: number } | { problem: string };

function parseOptions(argv: string[]): Parsed {
  let values: { "app-role"?: string; "app-password-file"?: string; wait?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        "app-role": { type: "string" },
        "app-password-file": { type: "string" },
        wait: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return { problem: (err as Error).message };
  }
  const wait = values.wait ?? String(DEFAULT_WAIT_SECONDS);
  if (!/^\d{1,5}$/.test(wait))
    return { problem: `--wait ${JSON.stringify(wait)}: seconds, 0 to 99999` };
  const role = values["app-role"];
  const file = values["app-password-file"];
  if (!role !== !file)
    return { problem: "--app-role and --app-password-file: give both, or neither" };
  if (!role || !file) return { waitSeconds: Number(wait) };
  let password: string;
  try {
    password = readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch (err) {
    return { problem: `--app-password-file ${file}: cannot read it (${(err as Error).message})` };
  }
  const appRole = { role, password };
  try {
    checkAppRoleOptions(appRole);
  } catch (err) {
    return { problem: (err as Error).message };
  }
  return { appRole, waitSeconds: Number(wait) };
}

/** Runs the command; resolves with the exit status (0 done, 1 failed, 2 bad usage or config). */
export async function runMigrateCommand(argv: string[], deps: MigrateCommandDeps): Promise<number> {
  const complain = deps.complain ?? ((line: string) => console.error(line));
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const { logger } = deps;
  const options = parseOptions(argv);
  if ("problem" in options) {
    complain(`${options.problem}\n${MIGRATE_USAGE}`);
    return 2;
  }
  const loaded = loadDatabaseConfig(deps.env, deps.embeddedAvailable ?? true);
  if ("problems" in loaded) {
    for (const line of loaded.problems) complain(`config: ${line}`);
    return 2;
  }
  if (options.appRole && !loaded.config.databaseUrl) {
    complain("--app-role needs DATABASE_URL: the embedded database has no roles");
    return 2;
  }
  const database = await openDatabaseForCommand(loaded.config, "npm run db:migrate");
  if (!database) return 2;
  const deadline = now() + options.waitSeconds * 1000;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await migrate(database.db);
        logger.info("migrations applied", { driver: database.kind, migrationsApplied: applied });
        if (options.appRole) {
          const role = await ensureAppRole(database.db, options.appRole);
          logger.info(role.created ? "app role created" : "app role updated", { ...role });
        }
        return 0;
      } catch (err) {
        const left = deadline - now();
        if (!isDatabaseUnavailable(err) || left <= 0) {
          const waited = isDatabaseUnavailable(err)
            ? ` (gave up after ${options.waitSeconds} s)`
            : "";
          logger.error(`migration failed${waited}`, { attempt, error: describeCause(err) });
          return 1;
        }
        const delay = Math.min(migrateRetryDelayMs(attempt), left);
        logger.warn("database unreachable; trying again", {
          attempt,
          retryInMs: delay,
          error: describeCause(err),
        });
        await sleep(delay);
      }
    }
  } finally {
    await database.close();
  }
}
