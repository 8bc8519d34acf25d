// The database part of the environment, shared by the server's configuration (config.ts) and the
// migration command, which needs nothing else.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import * as z from "zod";
import { passwordInUrl, tlsParametersInUrl } from "./db/client.ts";

/** Where the database is and how to sign in to it. */
export interface DatabaseConfig {
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** Path to a PEM CA bundle used to verify the PostgreSQL server certificate. */
  databaseCaFile: string | undefined;
  /**
   * Command (program and arguments, run without a shell) that prints the database password; run
   * again when PostgreSQL rejects the password, so a rotated secret is picked up without a restart.
   * Only with DATABASE_URL. Default none: the password, if any, is in DATABASE_URL.
   */
  databasePasswordCommand?: string[] | undefined;
  /**
   * File holding the database password (a systemd credential on the instance); read for the first
   * connection and again when PostgreSQL rejects the password. Only with DATABASE_URL. Default none.
   */
  databasePasswordFile?: string | undefined;
  /** Folder for the embedded database and the generated local session secret. Default `./.data`. */
  dataDir: string;
}

export const databaseEnvShape = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_CA_FILE: z.string().min(1).optional(),
  DATABASE_PASSWORD_COMMAND: z
    .string()
    .transform((v) => v.split(/\s+/).filter((word) => word !== ""))
    .pipe(z.array(z.string()).min(1, "must be a command line: a program and its arguments"))
    .optional(),
  DATABASE_PASSWORD_FILE: z.string().min(1, "must not be empty").optional(),
  DATA_DIR: z.string().min(1, "must not be empty").default(".data"),
};

type Env = Record<string, string | undefined>;
type Parsed = z.infer<z.ZodObject<typeof databaseEnvShape>>;

/** Variables where an empty value is more likely a templating slip than "unset". */
export const KEEP_EMPTY = new Set(["DATABASE_PASSWORD_COMMAND", "DATABASE_PASSWORD_FILE"]);

/** The checks across variables; one line per problem, each naming the variables. */
export function databaseProblems(e: Parsed, cleaned: Env, embeddedAvailable: boolean): string[] {
  const problems: string[] = [];
  if (!e.DATABASE_URL && !embeddedAvailable) {
    problems.push(
      "DATABASE_URL is required: this build has no embedded database (postgres://user@host:5432/db)",
    );
  }
  for (const key of ["DATABASE_PASSWORD_COMMAND", "DATABASE_PASSWORD_FILE"] as const) {
    if (e[key] && !e.DATABASE_URL) {
      problems.push(
        `${key}=${JSON.stringify(cleaned[key])}: only used with DATABASE_URL; the embedded database has no password`,
      );
    }
    if (e.DATABASE_URL && e[key] && passwordInUrl(e.DATABASE_URL)) {
      problems.push(`DATABASE_URL and ${key}: the URL carries a password too; set one, not both`);
    }
  }
  if (e.DATABASE_PASSWORD_COMMAND && e.DATABASE_PASSWORD_FILE) {
    problems.push("DATABASE_PASSWORD_COMMAND and DATABASE_PASSWORD_FILE: set one, not both");
  }
  if (e.DATABASE_URL && e.DATABASE_PASSWORD_FILE) {
    try {
      readFileSync(e.DATABASE_PASSWORD_FILE);
    } catch (err) {
      problems.push(
        `DATABASE_PASSWORD_FILE=${JSON.stringify(e.DATABASE_PASSWORD_FILE)}: cannot read file (${(err as Error).message})`,
      );
    }
  }
  const tlsParameters = e.DATABASE_URL ? tlsParametersInUrl(e.DATABASE_URL) : [];
  if (e.DATABASE_CA_FILE && tlsParameters.length > 0) {
    // node-postgres lets these URL parameters override the verified TLS settings (sslmode=disable turns TLS off).
    problems.push(
      `DATABASE_URL and DATABASE_CA_FILE: remove ${tlsParameters.join(", ")} from the URL; DATABASE_CA_FILE already requires TLS and verifies the server certificate and host name`,
    );
  }
  return problems;
}

/** The parsed variables as a DatabaseConfig. */
export function toDatabaseConfig(e: Parsed): DatabaseConfig {
  return {
    databaseUrl: e.DATABASE_URL,
    databaseCaFile: e.DATABASE_CA_FILE,
    databasePasswordCommand: e.DATABASE_PASSWORD_COMMAND,
    databasePasswordFile: e.DATABASE_PASSWORD_FILE,
    dataDir: resolve(e.DATA_DIR),
  };
}

/** Only the database variables (for the migration command): the config, or one line per problem. */
export function loadDatabaseConfig(
  env: Env,
  embeddedAvailable = true,
): { config: DatabaseConfig } | { problems: string[] } {
  const cleaned = Object.fromEntries(
    Object.keys(databaseEnvShape).map((k) => [
      k,
      env[k] === "" && !KEEP_EMPTY.has(k) ? undefined : env[k],
    ]),
  );
  const parsed = z.object(databaseEnvShape).safeParse(cleaned);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => {
        const key = String(i.path[0]);
        return `${key}=${JSON.stringify(cleaned[key] ?? "")}: ${i.message}`;
      }),
    };
  }
  const problems = databaseProblems(parsed.data, cleaned, embeddedAvailable);
  return problems.length > 0 ? { problems } : { config: toDatabaseConfig(parsed.data) };
}
