// The service on PostgreSQL under load, with the database cut off in the middle (behind a proxy
// the test controls), and with a commit whose answer is lost: writes answer 503 while it is
// gone, the service serves again within 5 s of its return, no acknowledged write is lost, and
// none is stored twice when the client retries with its form key.
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
import { count, emptyLog, runWriters, type SignedIn, signIn } from "./support/writers.ts";

const postgresReady = await requirePostgres();
const OWNER = "owner@example.test";
const PASSWORD = "owner password 1";

let dir: string;
let database: ThrowawayDatabase;
let proxy: TcpProxy;
let server: ServerProcess;
let session: SignedIn;
const log: string[] = [];

/** Titles with the prefix stored in the database, and how often each is there. */
async function stored(prefix: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ title: string; n: number }>(
      "select title, count(*)::int as n from transactions where title like $1 group by title",
      [`${prefix}-%`],
    );
    return new Map(rows.map((r) => [r.title, r.n]));
  } finally {
    await client.end();
  }
}

/** Ends every session of the app's database on the server, as `pg_ctl stop -m fast` does. */
async function terminateBackends(): Promise<void> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
  } finally {
    await client.end();
  }
}

async function readyWithin(ms: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const res = await fetch(`${server.origin}/readyz`).catch(() => undefined);
    if (res?.status === 200) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

function expectExactlyOnce(acknowledged: Set<string>, rows: Map<string, number>) {
  const missing = [...acknowledged].filter((t) => !rows.has(t));
  const doubled = [...rows].filter(([, n]) => n > 1).map(([t]) => t);
  expect({ missing, doubled }).toEqual({ missing: [], doubled: [] });
}

describe.skipIf(!postgresReady)("writes under load and faults [postgres]", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "et-faults-"));
    database = await createThrowawayDatabase();
    proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    const url = new URL(database.url);
    url.port = String(proxy.port);
    writeFileSync(join(dir, "owner-password"), `${PASSWORD}\n`);
    server = await startServer({
      dataDir: dir,
      port: await freePort(),
      log,
      env: {
        DATABASE_URL: url.toString(),
        SESSION_SECRET: "faults-test-session-secret-0123456789",
        OWNER_EMAIL: OWNER,
        OWNER_PASSWORD_FILE: join(dir, "owner-password"),
      },
    });
    session = await signIn(server.origin, OWNER, PASSWORD);
  }, 60_000);

  afterAll(async () => {
    server?.kill();
    await proxy?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("64 clients for 10 s: no 5xx, and the database holds exactly the acknowledged rows", async () => {
    const writes = emptyLog();
    const end = Date.now() + 10_000;
    await runWriters({
      session,
      clients: 64,
      prefix: "load",
      log: writes,
      stop: () => Date.now() > end,
      giveUpAt: end + 20_000,
    });
    const rows = await stored("load");
    console.info(
      `load: ${writes.acknowledged.size} writes acknowledged in 10 s by 64 clients; statuses ${JSON.stringify([...writes.statuses])}`,
    );
    expect([...writes.statuses.keys()]).toEqual([303]);
    expect(count(writes.networkErrors)).toBe(0);
    expect(rows.size).toBe(writes.acknowledged.size);
    expectExactlyOnce(writes.acknowledged, rows);
  }, 60_000);

  it.each([
    ["immediate", false],
    ["fast", true],
  ])(
    "the database stops (-m %s) during the load and comes back: 503 meanwhile, served within 5 s, nothing lost or doubled",
    async (mode, fast) => {
      const writes = emptyLog();
      const prefix = `outage-${mode}`;
      let stopWriting = false;
      const load = runWriters({
        session,
        clients: 16,
        prefix,
        log: writes,
        stop: () => stopWriting,
        giveUpAt: Date.now() + 40_000,
      });
      await new Promise((r) => setTimeout(r, 1_500));
      // -m immediate cuts every connection; -m fast first ends each session with 57P01.
      if (fast) await terminateBackends();
      await proxy.down();
      await new Promise((r) => setTimeout(r, 2_000));
      const outage = writes.statuses.get(503) ?? 0;
      const backAt = Date.now();
      await proxy.up();
      const servedAfter = await readyWithin(10_000);
      await new Promise((r) => setTimeout(r, 1_500));
      stopWriting = true;
      await load;
      const firstWrite = writes.events.find((e) => e.ok && e.at > backAt);
      console.info(
        `outage -m ${mode}: ${outage} answers 503 while down; ready ${servedAfter} ms and first write ${(firstWrite?.at ?? Number.NaN) - backAt} ms after its return; statuses ${JSON.stringify([...writes.statuses])}`,
      );
      expect(outage).toBeGreaterThan(0);
      expect([...writes.unavailableMessages]).toContain(
        "The database is unreachable right now. Your change was not saved. Try again in a few seconds.",
      );
      expect(writes.statuses.get(500) ?? 0).toBe(0);
      expect(servedAfter).toBeLessThan(5_000);
      expect((firstWrite?.at ?? Number.POSITIVE_INFINITY) - backAt).toBeLessThan(5_000);
      expectExactlyOnce(writes.acknowledged, await stored(prefix));
    },
    60_000,
  );

  it("a commit whose answer is lost: 503 says it may be saved, and the retry with its key stores it once", async () => {
    const writes = emptyLog();
    const before = proxy.commitsDropped;
    proxy.dropAfterCommit(5);
    let stopWriting = false;
    const load = runWriters({
      session,
      clients: 8,
      prefix: "lost-answer",
      log: writes,
      stop: () => stopWriting,
      giveUpAt: Date.now() + 30_000,
    });
    await new Promise((r) => setTimeout(r, 3_000));
    stopWriting = true;
    await load;
    const rows = await stored("lost-answer");
    console.info(
      `lost commit answers: ${proxy.commitsDropped - before} commits cut after forwarding; statuses ${JSON.stringify([...writes.statuses])}; ${rows.size} rows for ${writes.acknowledged.size} acknowledged`,
    );
    expect(proxy.commitsDropped - before).toBe(5);
    expect([...writes.unavailableMessages]).toContain(
      "The database is unreachable right now. Your change may have been saved: the answer was lost on the way. Sending the form again is safe; it will not be saved twice. Try again in a few seconds.",
    );
    expect(writes.statuses.get(503) ?? 0).toBeGreaterThanOrEqual(5);
    expect(writes.statuses.get(500) ?? 0).toBe(0);
    expect(rows.size).toBe(writes.acknowledged.size);
    expectExactlyOnce(writes.acknowledged, rows);
  }, 60_000);

  it("the server lived through it all, and logged the outage as warnings, never as errors", async () => {
    expect(log.some((l) => l.includes('"msg":"listening"'))).toBe(true);
    const res = await fetch(`${server.origin}/healthz`);
    expect(res.status).toBe(200);
    const levels = log.map((l) => /"level":"(\w+)"/.exec(l)?.[1]);
    expect(levels).not.toContain("error");
    const warnings = log.filter((l) => l.includes('"msg":"database unreachable"'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThan(20);
  });
});
