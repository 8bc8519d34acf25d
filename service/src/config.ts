import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import {
  type DatabaseConfig,
  databaseEnvShape,
  databaseProblems,
  KEEP_EMPTY,
  toDatabaseConfig,
} from "./config-database.ts";
import { parsePublicUrls } from "./lib/public-url.ts";

/** The service's settings, parsed once from the environment. Nothing else reads `process.env`. */
export interface Config extends DatabaseConfig {
  /** TCP port to listen on. Default 3000. */
  port: number;
  /** Address to bind. Default `127.0.0.1` in local mode, `0.0.0.0` otherwise. */
  host: string;
  /**
   * `apply` (default): the server applies pending migrations at start-up. `external`: a separate
   * step applies them (the migration command, as the tables' owner); the server only checks that
   * the schema is current and stays not ready, saying which migrations are missing, until it is.
   */
  migrations: "apply" | "external";
  /** Key for signing cookies and CSRF tokens (at least 32 characters). */
  sessionSecret: string;
  /** How many reverse-proxy hops to trust for client address, scheme and host. 0 = none. */
  trustProxy: number;
  /**
   * Addresses the site answers at (PUBLIC_URL, e.g. `https://money.example.com`), as origins:
   * other hosts get 421 and form posts must come from one of them. Default none: any host.
   */
  publicOrigins: string[];
  /** Local mode: the first-run page exists. True with the embedded database or LOCAL_MODE=1, never with TRUST_PROXY. */
  localMode: boolean;
  /**
   * Local mode with stdout on a terminal: one plain line says where the app runs, and the log
   * is plain text. Otherwise (the deployed service, output to a file or pipe) JSON lines.
   */
  interactive: boolean;
  /** Minimum log level. Default `info`; `warn` when interactive (no line per request). */
  logLevel: LogLevel;
  /** API requests allowed per token and minute (API_RATE_LIMIT). Default 600. */
  apiRateLimit?: number;
  /**
   * `on` (default): /sw.js is the service worker. `retire`: /sw.js is a worker that deletes the
   * app's caches and unregisters itself (SERVICE_WORKER).
   */
  serviceWorker?: "on" | "retire";
  /** Owner provisioned at start-up when absent (both or neither). */
  owner: { email: string; password: string } | undefined;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

const flag = z
  .enum(["0", "1", "true", "false"], { error: "must be 0, 1, true or false" })
  .transform((v) => v === "1" || v === "true");

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: "must be a port number" })
    .int("must be a whole number")
    .min(1, "must be between 1 and 65535")
    .max(65535, "must be between 1 and 65535")
    .default(3000),
  HOST: z.string().min(1, "must not be empty").optional(),
  ...databaseEnvShape,
  MIGRATIONS: z
    .enum(["apply", "external"], { error: "must be apply or external" })
    .default("apply"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SESSION_SECRET_FILE: z.string().min(1).optional(),
  TRUST_PROXY: z.coerce
    .number({ error: "must be a whole number of proxy hops (0-10)" })
    .int("must be a whole number of proxy hops (0-10)")
    .min(0, "must be a whole number of proxy hops (0-10)")
    .max(10, "must be a whole number of proxy hops (0-10)")
    .default(0),
  LOCAL_MODE: flag.default(false),
  PUBLIC_URL: z
    .string()
    .transform((v, ctx) => {
      const parsed = parsePublicUrls(v);
      if ("origins" in parsed) return parsed.origins;
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    })
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).optional(),
  API_RATE_LIMIT: z.coerce
    .number({ error: "must be a whole number of requests per minute (1-1000000)" })
    .int("must be a whole number of requests per minute (1-1000000)")
    .min(1, "must be a whole number of requests per minute (1-1000000)")
    .max(1_000_000, "must be a whole number of requests per minute (1-1000000)")
    .default(600),
  SERVICE_WORKER: z.enum(["on", "retire"], { error: "must be on or retire" }).default("on"),
  OWNER_EMAIL: z.email("must be an email address").optional(),
  OWNER_PASSWORD_FILE: z.string().min(1).optional(),
});

type Env = Record<string, string | undefined>;

// Empty means unset, except where an empty value is more likely a templating slip than intent.
const keepEmpty = KEEP_EMPTY;

export interface LoadOptions {
  /** False in the production build, which has no PGlite. Default true. */
  embeddedAvailable?: boolean;
  /** Whether stdout is a terminal (a person watching). Default false. */
  terminal?: boolean;
}

/** Parses the environment. Throws ConfigError with one line per bad value. */
export function loadConfig(env: Env, options: LoadOptions = {}): Config {
  const embeddedAvailable = options.embeddedAvailable ?? true;
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [
      k,
      env[k] === "" && !keepEmpty.has(k) ? undefined : env[k],
    ]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0]);
        return `${key}=${JSON.stringify(cleaned[key] ?? "")}: ${i.message}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  const readSecretFile = (key: string, path: string): string | undefined => {
    try {
      return readFileSync(path, "utf8").trim();
    } catch (err) {
      problems.push(`${key}=${JSON.stringify(path)}: cannot read file (${(err as Error).message})`);
      return undefined;
    }
  };

  problems.push(...databaseProblems(e, cleaned, embeddedAvailable));
  if (e.MIGRATIONS === "external" && !e.DATABASE_URL) {
    problems.push(
      "MIGRATIONS=external: only with DATABASE_URL; the embedded database is migrated by the server",
    );
  }
  const localMode = (!e.DATABASE_URL || e.LOCAL_MODE) && e.TRUST_PROXY === 0;
  const database = toDatabaseConfig(e);
  const dataDir = database.dataDir;

  let sessionSecret = e.SESSION_SECRET;
  if (e.SESSION_SECRET && e.SESSION_SECRET_FILE) {
    problems.push("SESSION_SECRET and SESSION_SECRET_FILE: set one, not both");
  } else if (e.SESSION_SECRET_FILE) {
    sessionSecret = readSecretFile("SESSION_SECRET_FILE", e.SESSION_SECRET_FILE);
    if (sessionSecret !== undefined && sessionSecret.length < 32) {
      problems.push("SESSION_SECRET_FILE: the secret in the file must be at least 32 characters");
    }
  }
  if (!sessionSecret && problems.length === 0) {
    if (localMode) sessionSecret = localSessionSecret(dataDir);
    else
      problems.push(
        "SESSION_SECRET or SESSION_SECRET_FILE is required outside local mode (at least 32 characters)",
      );
  }

  let owner: Config["owner"];
  if (e.OWNER_EMAIL && e.OWNER_PASSWORD_FILE) {
    const password = readSecretFile("OWNER_PASSWORD_FILE", e.OWNER_PASSWORD_FILE);
    if (password !== undefined) {
      if (password.length < 8 || password.length > 200)
        problems.push("OWNER_PASSWORD_FILE: the password must be 8 to 200 characters");
      else owner = { email: e.OWNER_EMAIL.toLowerCase(), password };
    }
  } else if (e.OWNER_EMAIL || e.OWNER_PASSWORD_FILE) {
    problems.push("OWNER_EMAIL and OWNER_PASSWORD_FILE: set both, or neither");
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const interactive = localMode && (options.terminal ?? false);
  return {
    port: e.PORT,
    host: e.HOST ?? (localMode ? "127.0.0.1" : "0.0.0.0"),
    ...database,
    migrations: e.MIGRATIONS,
    sessionSecret: sessionSecret as string,
    trustProxy: e.TRUST_PROXY,
    publicOrigins: e.PUBLIC_URL ?? [],
    localMode,
    interactive,
    logLevel: e.LOG_LEVEL ?? (interactive ? "warn" : "info"),
    apiRateLimit: e.API_RATE_LIMIT,
    serviceWorker: e.SERVICE_WORKER,
    owner,
  };
}

/**
 * For entry points: the configuration, or undefined after printing one `config:` line per problem
 * on stderr (the caller exits with status 2).
 */
export function loadConfigOrReport(env: Env, options: LoadOptions = {}): Config | undefined {
  try {
    return loadConfig(env, options);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const line of err.problems) console.error(`config: ${line}`);
    return undefined;
  }
}

/** In local mode the session secret is generated once and kept under DATA_DIR. */
function localSessionSecret(dataDir: string): string {
  const file = join(dataDir, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    // Another process wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return readFileSync(file, "utf8").trim();
  }
  return secret;
}
