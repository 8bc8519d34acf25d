import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

const SECRET = "s".repeat(32);
const tmp = () => mkdtempSync(join(tmpdir(), "et-config-"));

function problems(
  env: Record<string, string>,
  options?: { embeddedAvailable?: boolean },
): string[] {
  try {
    loadConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("loadConfig", () => {
  it("defaults to local mode on the embedded database, bound to loopback, port 3000", () => {
    const c = loadConfig({ DATA_DIR: tmp() });
    expect(c).toMatchObject({
      port: 3000,
      host: "127.0.0.1",
      localMode: true,
      databaseUrl: undefined,
      trustProxy: 0,
    });
  });

  it("generates the local session secret once and keeps it under DATA_DIR, readable only by its owner", () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).sessionSecret).toBe(first);
    expect(readFileSync(join(dir, "session-secret"), "utf8").trim()).toBe(first);
    expect(statSync(join(dir, "session-secret")).mode & 0o077).toBe(0);
  });

  it("reports one line per bad value, naming the variable, the value and what is accepted", () => {
    const lines = problems({
      PORT: "70000",
      TRUST_PROXY: "yes",
      LOG_LEVEL: "loud",
      LOCAL_MODE: "maybe",
      DATABASE_URL: "mysql://x",
    });
    expect(lines).toEqual([
      'PORT="70000": must be between 1 and 65535',
      'DATABASE_URL="mysql://x": must start with postgres:// or postgresql://',
      'TRUST_PROXY="yes": must be a whole number of proxy hops (0-10)',
      'LOCAL_MODE="maybe": must be 0, 1, true or false',
      'LOG_LEVEL="loud": must be one of debug, info, warn, error, silent',
    ]);
  });

  it("requires a session secret outside local mode", () => {
    expect(problems({ DATABASE_URL: "postgres://db/x" })).toEqual([
      "SESSION_SECRET or SESSION_SECRET_FILE is required outside local mode (at least 32 characters)",
    ]);
    expect(problems({ DATABASE_URL: "postgres://db/x", SESSION_SECRET: "short" })).toEqual([
      'SESSION_SECRET="short": must be at least 32 characters',
    ]);
  });

  it("reads the session secret and the owner password from files", () => {
    const dir = tmp();
    writeFileSync(join(dir, "secret"), `${SECRET}\n`);
    writeFileSync(join(dir, "pw"), "owner password\n");
    const c = loadConfig({
      DATABASE_URL: "postgres://db/x",
      SESSION_SECRET_FILE: join(dir, "secret"),
      OWNER_EMAIL: "Owner@Example.com",
      OWNER_PASSWORD_FILE: join(dir, "pw"),
    });
    expect(c.sessionSecret).toBe(SECRET);
    expect(c.owner).toEqual({ email: "owner@example.com", password: "owner password" });
    expect(c.localMode).toBe(false);
    expect(c.host).toBe("0.0.0.0");
  });

  it("names a missing secret file and an owner half-configured", () => {
    const lines = problems({
      DATABASE_URL: "postgres://db/x",
      SESSION_SECRET_FILE: "/nonexistent/secret",
      OWNER_EMAIL: "owner@example.com",
    });
    expect(lines[0]).toMatch(/^SESSION_SECRET_FILE="\/nonexistent\/secret": cannot read file/);
    expect(lines).toContain("OWNER_EMAIL and OWNER_PASSWORD_FILE: set both, or neither");
  });

  it("LOCAL_MODE=1 turns local mode on with PostgreSQL; TRUST_PROXY always turns it off", () => {
    expect(
      loadConfig({ DATABASE_URL: "postgres://db/x", LOCAL_MODE: "1", DATA_DIR: tmp() }).localMode,
    ).toBe(true);
    expect(
      loadConfig({ TRUST_PROXY: "1", SESSION_SECRET: SECRET, DATA_DIR: tmp() }).localMode,
    ).toBe(false);
    expect(problems({ TRUST_PROXY: "1", DATA_DIR: tmp() })).toEqual([
      "SESSION_SECRET or SESSION_SECRET_FILE is required outside local mode (at least 32 characters)",
    ]);
  });

  it("API_RATE_LIMIT is requests per token and minute, 600 unless set", () => {
    expect(loadConfig({ DATA_DIR: tmp() }).apiRateLimit).toBe(600);
    expect(loadConfig({ DATA_DIR: tmp(), API_RATE_LIMIT: "100000" }).apiRateLimit).toBe(100000);
    expect(problems({ DATA_DIR: tmp(), API_RATE_LIMIT: "0" })).toEqual([
      'API_RATE_LIMIT="0": must be a whole number of requests per minute (1-1000000)',
    ]);
    expect(problems({ DATA_DIR: tmp(), API_RATE_LIMIT: "1.5" })).toHaveLength(1);
  });

  it("SERVICE_WORKER is on unless set to retire; anything else is refused", () => {
    expect(loadConfig({ DATA_DIR: tmp() }).serviceWorker).toBe("on");
    expect(loadConfig({ DATA_DIR: tmp(), SERVICE_WORKER: "retire" }).serviceWorker).toBe("retire");
    expect(problems({ DATA_DIR: tmp(), SERVICE_WORKER: "off" })).toEqual([
      'SERVICE_WORKER="off": must be on or retire',
    ]);
  });

  it("DATABASE_PASSWORD_COMMAND is split on whitespace into a program and its arguments", () => {
    const c = loadConfig({
      DATABASE_URL: "postgres://app@db.example:5432/x",
      SESSION_SECRET: SECRET,
      DATABASE_PASSWORD_COMMAND:
        " /usr/local/bin/et-fetch  secret arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-1\t--json-key password ",
    });
    expect(c.databasePasswordCommand).toEqual([
      "/usr/local/bin/et-fetch",
      "secret",
      "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db-1",
      "--json-key",
      "password",
    ]);
    expect(loadConfig({ DATA_DIR: tmp() }).databasePasswordCommand).toBeUndefined();
  });

  it("DATABASE_PASSWORD_COMMAND needs DATABASE_URL, a command, and a URL without a password", () => {
    expect(problems({ DATABASE_PASSWORD_COMMAND: "/bin/echo pw", DATA_DIR: tmp() })).toEqual([
      'DATABASE_PASSWORD_COMMAND="/bin/echo pw": only used with DATABASE_URL; the embedded database has no password',
    ]);
    const withUrl = { DATABASE_URL: "postgres://app@db/x", SESSION_SECRET: SECRET };
    for (const empty of ["", "  \t "]) {
      expect(problems({ ...withUrl, DATABASE_PASSWORD_COMMAND: empty })).toEqual([
        `DATABASE_PASSWORD_COMMAND=${JSON.stringify(empty)}: must be a command line: a program and its arguments`,
      ]);
    }
    const lines = problems({
      ...withUrl,
      DATABASE_URL: "postgres://app:hunter2@db/x",
      DATABASE_PASSWORD_COMMAND: "/bin/echo pw",
    });
    expect(lines).toEqual([
      "DATABASE_URL and DATABASE_PASSWORD_COMMAND: the URL carries a password too; set one, not both",
    ]);
  });

  it("with DATABASE_CA_FILE refuses URL parameters that would override the verified TLS", () => {
    const lines = problems({
      DATABASE_URL: "postgres://app:hunter2@db/x?sslmode=disable&sslrootcert=/tmp/ca.pem",
      DATABASE_CA_FILE: "/etc/ssl/rds.pem",
      SESSION_SECRET: SECRET,
    });
    expect(lines).toEqual([
      "DATABASE_URL and DATABASE_CA_FILE: remove sslmode, sslrootcert from the URL; DATABASE_CA_FILE already requires TLS and verifies the server certificate and host name",
    ]);
    expect(lines.join("\n")).not.toContain("hunter2");
    // Without a CA file, pg's own sslmode handling applies as before.
    expect(
      problems({ DATABASE_URL: "postgres://db/x?sslmode=verify-full", SESSION_SECRET: SECRET }),
    ).toEqual([]);
  });

  it("the production build, which has no embedded database, requires DATABASE_URL", () => {
    expect(problems({ SESSION_SECRET: SECRET }, { embeddedAvailable: false })).toEqual([
      "DATABASE_URL is required: this build has no embedded database (postgres://user@host:5432/db)",
    ]);
  });

  it("DATABASE_PASSWORD_FILE: with DATABASE_URL only, readable, and not beside a command or a URL password", () => {
    const file = join(tmp(), "db-password");
    writeFileSync(file, "pw\n");
    const url = "postgres://app@db.example:5432/x";
    expect(
      loadConfig({ DATABASE_URL: url, SESSION_SECRET: SECRET, DATABASE_PASSWORD_FILE: file })
        .databasePasswordFile,
    ).toBe(file);
    expect(problems({ DATABASE_PASSWORD_FILE: file, DATA_DIR: tmp() })).toEqual([
      `DATABASE_PASSWORD_FILE=${JSON.stringify(file)}: only used with DATABASE_URL; the embedded database has no password`,
    ]);
    expect(
      problems({
        DATABASE_URL: url,
        SESSION_SECRET: SECRET,
        DATABASE_PASSWORD_FILE: "/nonexistent/pw",
      }),
    ).toEqual([
      expect.stringMatching(/^DATABASE_PASSWORD_FILE="\/nonexistent\/pw": cannot read file/),
    ]);
    expect(
      problems({
        DATABASE_URL: url,
        SESSION_SECRET: SECRET,
        DATABASE_PASSWORD_FILE: file,
        DATABASE_PASSWORD_COMMAND: "/bin/echo pw",
      }),
    ).toEqual(["DATABASE_PASSWORD_COMMAND and DATABASE_PASSWORD_FILE: set one, not both"]);
    expect(
      problems({
        DATABASE_URL: "postgres://app:pw@db/x",
        SESSION_SECRET: SECRET,
        DATABASE_PASSWORD_FILE: file,
      }),
    ).toEqual([
      "DATABASE_URL and DATABASE_PASSWORD_FILE: the URL carries a password too; set one, not both",
    ]);
  });

  it("MIGRATIONS is apply by default; external only with DATABASE_URL", () => {
    expect(loadConfig({ DATA_DIR: tmp() }).migrations).toBe("apply");
    const url = "postgres://app@db.example:5432/x";
    expect(
      loadConfig({ DATABASE_URL: url, SESSION_SECRET: SECRET, MIGRATIONS: "external" }).migrations,
    ).toBe("external");
    expect(problems({ MIGRATIONS: "later", DATA_DIR: tmp() })).toEqual([
      'MIGRATIONS="later": must be apply or external',
    ]);
    expect(problems({ MIGRATIONS: "external", DATA_DIR: tmp() })).toEqual([
      "MIGRATIONS=external: only with DATABASE_URL; the embedded database is migrated by the server",
    ]);
  });
});
