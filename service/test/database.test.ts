import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.ts";
import { migrate, pendingMigrationsReason } from "../src/db/migrate.ts";
import { loadMigrations, parseMigration } from "../src/embedded.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { prepareDatabase, StartupError } from "../src/startup.ts";
import { testApp } from "./support/harness.ts";
import {
  createThrowawayDatabase,
  requirePostgres,
  type ThrowawayDatabase,
} from "./support/postgres.ts";

const postgresReady = await requirePostgres();
const ALL_TAGS = loadMigrations().map((m) => m.tag);

describe.skipIf(!postgresReady)("migrations and readiness [postgres]", () => {
  let throwaway: ThrowawayDatabase;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase();
  });
  afterAll(async () => {
    await throwaway?.drop();
  });

  it("/readyz answers 503 with a reason before migrations, and 200 after", async () => {
    const database = await openDatabase({ url: throwaway.url });
    try {
      const app = testApp(database);
      const before = await app.request("/readyz");
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({
        status: "unavailable",
        reason: `migrations not applied: ${ALL_TAGS.join(", ")}`,
      });
      expect((await app.request("/healthz")).status).toBe(200);
      await migrate(database.db);
      const after = await app.request("/readyz");
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ status: "ready" });
    } finally {
      await database.close();
    }
  });

  it("two processes migrating at once: one applies, the other waits and finds nothing to do", async () => {
    const fresh = await createThrowawayDatabase();
    const a = await openDatabase({ url: fresh.url });
    const b = await openDatabase({ url: fresh.url });
    try {
      const results = await Promise.all([migrate(a.db), migrate(b.db)]);
      expect(results.map((r) => r.length).sort()).toEqual([0, loadMigrations().length]);
      expect(await pendingMigrationsReason(a.db)).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });

  it("refuses to run when an applied migration's file was changed", async () => {
    const database = await openDatabase({ url: throwaway.url });
    try {
      await migrate(database.db);
      const [first] = loadMigrations();
      const edited = parseMigration(
        "0000_init.sql",
        `${first?.statements.join("\n--> statement-breakpoint\n")}\n-- edited`,
      );
      await expect(migrate(database.db, [edited])).rejects.toThrow(
        "migration 0000_init was changed after it was applied",
      );
    } finally {
      await database.close();
    }
  });

  it("/readyz answers 503 when the database is unreachable", async () => {
    const database = await openDatabase({ url: "postgres://postgres@127.0.0.1:1/none" });
    try {
      const res = await testApp(database).request("/readyz");
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "unavailable", reason: "database unreachable" });
    } finally {
      await database.close();
    }
  });

  it("outside local mode, a server with no account and no owner refuses to start", async () => {
    const fresh = await createThrowawayDatabase();
    try {
      const config = {
        port: 0,
        host: "127.0.0.1",
        databaseUrl: fresh.url,
        databaseCaFile: undefined,
        dataDir: "/nonexistent",
        migrations: "apply" as const,
        sessionSecret: "x".repeat(32),
        trustProxy: 1,
        publicOrigins: [],
        localMode: false,
        interactive: false,
        logLevel: "silent" as const,
        owner: undefined,
      };
      await expect(prepareDatabase(config, silentLogger)).rejects.toBeInstanceOf(StartupError);
      const withOwner = await prepareDatabase(
        { ...config, owner: { email: "owner@example.test", password: "owner password" } },
        silentLogger,
      );
      await withOwner.close();
    } finally {
      await fresh.drop();
    }
  });
});

describe("embedded database", () => {
  it("keeps its data in DATA_DIR across a close and reopen", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = join(mkdtempSync(join(tmpdir(), "et-pglite-")), "pglite");
    const first = await openDatabase({ dataDir: dir });
    expect(await migrate(first.db)).toEqual(ALL_TAGS);
    await first.close();
    const second = await openDatabase({ dataDir: dir });
    try {
      expect(await migrate(second.db)).toEqual([]);
      expect(await pendingMigrationsReason(second.db)).toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
