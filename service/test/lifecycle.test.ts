// Start-up without a database, and SIGTERM under load: the service waits for PostgreSQL while
// answering /healthz, serves within 5 s of its return, and drains on SIGTERM without resetting a
// single connection or losing an acknowledged write.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createThrowawayDatabase,
  requirePostgres,
  type ThrowawayDatabase,
} from "./support/postgres.ts";
import { freePort, type ServerProcess, startServer } from "./support/server-process.ts";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.ts";
import { emptyLog, runWriters, signIn } from "./support/writers.ts";

const postgresReady = await requirePostgres();
const OWNER = "owner@example.test";
const PASSWORD = "owner password 1";

let dir: string;
let database: ThrowawayDatabase;
let proxy: TcpProxy;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "et-lifecycle-"));
  writeFileSync(join(dir, "owner-password"), `${PASSWORD}\n`);
  database = await createThrowawayDatabase();
  proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
});
afterAll(async () => {
  await proxy?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function serverEnv(): Record<string, string> {
  const url = new URL(database.url);
  url.port = String(proxy.port);
  return {
    DATABASE_URL: url.toString(),
    SESSION_SECRET: "lifecycle-test-session-secret-0123456789",
    OWNER_EMAIL: OWNER,
    OWNER_PASSWORD_FILE: join(dir, "owner-password"),
  };
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

describe.skipIf(!postgresReady)("the service's life [postgres]", () => {
  it("started with the database down, it answers /healthz, says why in /readyz, and serves within 5 s of the database's return", async () => {
    await proxy.down();
    const log: string[] = [];
    let server: ServerProcess | undefined;
    try {
      server = await startServer({
        dataDir: dir,
        port: await freePort(),
        log,
        env: serverEnv(),
        waitForReady: false,
      });
      await new Promise((r) => setTimeout(r, 2_500));
      expect((await get(`${server.origin}/healthz`)).status).toBe(200);
      const ready = await get(`${server.origin}/readyz`);
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body).reason).toMatch(/^starting: database unreachable/);
      const signin = await fetch(`${server.origin}/signin`);
      expect(signin.status).toBe(503);
      expect(signin.headers.get("retry-after")).toBe("5");
      expect(await signin.text()).toContain("The app is starting and waiting for its database.");
      const tries = log.filter((l) => l.includes("start-up: database unreachable; trying again"));
      expect(tries.length).toBeGreaterThanOrEqual(3);

      const back = Date.now();
      await proxy.up();
      let readyAfter = Number.POSITIVE_INFINITY;
      while (Date.now() - back < 10_000) {
        if ((await get(`${server.origin}/readyz`)).status === 200) {
          readyAfter = Date.now() - back;
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      console.info(
        `start-up: ${tries.length} tries while down; ready ${readyAfter} ms after the database returned`,
      );
      expect(readyAfter).toBeLessThan(5_000);
      expect((await get(`${server.origin}/signin`)).status).toBe(200);
    } finally {
      await proxy.up();
      server?.kill();
    }
  }, 60_000);

  it("SIGTERM under load: no connection is reset, and every acknowledged write is stored", async () => {
    const log: string[] = [];
    const server = await startServer({
      dataDir: dir,
      port: await freePort(),
      log,
      env: serverEnv(),
    });
    try {
      const session = await signIn(server.origin, OWNER, PASSWORD);
      const writes = emptyLog();
      let stopWriting = false;
      const load = runWriters({
        session,
        clients: 32,
        prefix: "sigterm",
        log: writes,
        stop: () => stopWriting,
        giveUpAt: Date.now() + 30_000,
        retryRefused: false,
      });
      await new Promise((r) => setTimeout(r, 2_000));
      const code = server.stop(15_000);
      expect(await code).toBe(0);
      stopWriting = true;
      await load;
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client
        .query<{ title: string }>("select title from transactions where title like 'sigterm-%'")
        .finally(() => client.end());
      const storedTitles = new Set(rows.map((r) => r.title));
      const resets = [...writes.networkErrors].filter(([c]) => c !== "ECONNREFUSED");
      console.info(
        `SIGTERM: ${writes.acknowledged.size} writes acknowledged by 32 clients; errors without an answer ${JSON.stringify([...writes.networkErrors])}`,
      );
      expect(resets).toEqual([]);
      expect(writes.statuses.get(500) ?? 0).toBe(0);
      expect([...writes.acknowledged].filter((t) => !storedTitles.has(t))).toEqual([]);
      expect(log.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    } finally {
      server.kill();
    }
  }, 60_000);
});
