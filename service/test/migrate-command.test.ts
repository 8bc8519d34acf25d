// The migration command: applies migrations, creates the app role, waits for a database that does
// not answer yet (bounded), and the server's MIGRATIONS=external mode that relies on it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.ts";
import { pendingMigrationsReason } from "../src/db/migrate.ts";
import { loadMigrations } from "../src/embedded.ts";
import { createLogger } from "../src/lib/logger.ts";
import { migrateRetryDelayMs, runMigrateCommand } from "../src/migrate-command.ts";
import {
  prepareSchema,
  SchemaBehindError,
  schemaRetryDelayMs,
  waitForDatabase,
} from "../src/startup.ts";
import { ADMIN_URL, createThrowawayDatabase, requirePostgres } from "./support/postgres.ts";
import { freePort } from "./support/server-process.ts";

const ready = await requirePostgres();
const dir = mkdtempSync(join(tmpdir(), "et-migrate-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = "app-role-password-0123456789";
const passwordFile = join(dir, "app-password");
writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });

/** Runs the command with a recording logger; returns the status and every line. */
async function migrateCommand(
  argv: string[],
  env: Record<string, string>,
  extra: { sleep?: (ms: number) => Promise<void>; now?: () => number } = {},
) {
  const lines: string[] = [];
  const logger = createLogger("info", (line) => lines.push(line.trim()));
  const status = await runMigrateCommand(argv, {
    env,
    logger,
    complain: (line) => lines.push(line),
    ...extra,
  });
  return { status, lines, text: lines.join("\n") };
}

describe("the migration command's arguments", () => {
  it.each([
    [["--app-role", "expense_app"], /give both, or neither/],
    [["--app-password-file", passwordFile], /give both, or neither/],
    [["--wait", "soon"], /--wait "soon": seconds/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["--app-role", "Bad-Name", "--app-password-file", passwordFile], /lower-case letters/],
    [["--app-role", "expense_app", "--app-password-file", join(dir, "none")], /cannot read it/],
  ])("%j is refused with status 2 and the usage", async (argv, message) => {
    const r = await migrateCommand(argv, { DATABASE_URL: "postgres://x@127.0.0.1:1/db" });
    expect(r.status).toBe(2);
    expect(r.text).toMatch(message);
    expect(r.text).toContain("usage: npm run db:migrate");
  });

  it("refuses an app role for the embedded database, which has no roles", async () => {
    const r = await migrateCommand(
      ["--app-role", "expense_app", "--app-password-file", passwordFile],
      { DATA_DIR: dir },
    );
    expect(r.status).toBe(2);
    expect(r.text).toContain("--app-role needs DATABASE_URL");
  });

  it("never prints the password", async () => {
    const r = await migrateCommand(
      ["--app-role", "expense_app", "--app-password-file", passwordFile, "--wait", "0"],
      { DATABASE_URL: `postgres://x@127.0.0.1:${await freePort()}/db` },
    );
    expect(r.text).not.toContain(PASSWORD);
  });
});

describe("waiting for PostgreSQL", () => {
  it("backs off 1 s doubling to 30 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(migrateRetryDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it("the server, with MIGRATIONS=external, checks a schema that is behind again after 1 s doubling to 10 s", () => {
    expect([1, 2, 3, 4, 5, 9].map(schemaRetryDelayMs)).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it("retries while nothing answers, then gives up after --wait seconds with status 1", async () => {
    let clock = 0;
    const slept: number[] = [];
    const r = await migrateCommand(
      ["--wait", "40"],
      { DATABASE_URL: `postgres://x@127.0.0.1:${await freePort()}/db` },
      {
        now: () => clock,
        sleep: async (ms) => {
          slept.push(ms);
          clock += ms;
        },
      },
    );
    expect(r.status).toBe(1);
    // 1 + 2 + 4 + 8 + 16 = 31 s, then the 9 s left.
    expect(slept).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 9_000]);
    expect(r.lines.filter((l) => l.includes("database unreachable; trying again"))).toHaveLength(6);
    expect(r.text).toContain("migration failed (gave up after 40 s)");
  });
});

describe.runIf(ready)("on PostgreSQL", () => {
  it("applies every migration and creates the app role; a second run changes nothing but the password", async () => {
    const db = await createThrowawayDatabase();
    const role = `${db.name}_app`;
    try {
      const args = ["--app-role", role, "--app-password-file", passwordFile];
      const first = await migrateCommand(args, { DATABASE_URL: db.url });
      expect(first.status).toBe(0);
      const applied = JSON.parse(first.lines[0] ?? "{}");
      expect(applied).toMatchObject({ msg: "migrations applied" });
      expect(applied.migrationsApplied).toEqual(loadMigrations().map((m) => m.tag));
      expect(JSON.parse(first.lines[1] ?? "{}")).toMatchObject({ msg: "app role created", role });

      const second = await migrateCommand(args, { DATABASE_URL: db.url });
      expect(second.status).toBe(0);
      expect(JSON.parse(second.lines[0] ?? "{}").migrationsApplied).toEqual([]);
      expect(JSON.parse(second.lines[1] ?? "{}")).toMatchObject({ msg: "app role updated" });
    } finally {
      await db.drop();
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`drop role if exists ${role}`);
      await c.end();
    }
  });

  it("with MIGRATIONS=external the server does not migrate: it waits, saying which are missing", async () => {
    const db = await createThrowawayDatabase();
    const database = await openDatabase({ url: db.url, maxConnections: 2 });
    const reasons: string[] = [];
    try {
      const config = { migrations: "external" as const, owner: undefined, localMode: true };
      await expect(prepareSchema(database, config, createLogger("silent"))).rejects.toBeInstanceOf(
        SchemaBehindError,
      );
      let migrated = false;
      await waitForDatabase(
        database,
        config,
        createLogger("silent"),
        (reason) => reasons.push(reason),
        async () => {
          // The migration command runs meanwhile.
          if (!migrated) {
            migrated = true;
            expect((await migrateCommand([], { DATABASE_URL: db.url })).status).toBe(0);
          }
        },
      );
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(
        /^migrations not applied: 0000_init, .*MIGRATIONS=external: the migration command applies them/,
      );
      expect(await pendingMigrationsReason(database.db)).toBeUndefined();
    } finally {
      await database.close();
      await db.drop();
    }
  });
});
