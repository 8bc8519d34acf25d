// With the server running on the embedded database, every other process that would open the same
// folder (a second server, import:mvp, user:add) is refused in one line, exits 2, and writes
// nothing; the server's own writes and the refused commands' data are all intact afterwards.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hiddenInput, numericOptions, WebSession } from "../../scripts/ops/web-session.ts";
import { openDatabase } from "../src/db/client.ts";
import { transactions, users } from "../src/db/schema.ts";
import { runNpm } from "./support/npm-script.ts";
import { freePort, type ServerProcess, startServer } from "./support/server-process.ts";

const FIXTURE = new URL("../../scripts/test/fixtures/flask-mvp-local.db", import.meta.url).pathname;
const OWNER = "owner@example.test";

let dataDir: string;
let server: ServerProcess | undefined;
let port: number;
const log: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "et-single-"));
  port = await freePort();
  server = await startServer({ dataDir, port, log });
}, 60_000);

afterAll(() => {
  server?.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function count_(table: typeof users | typeof transactions): Promise<number> {
  const database = await openDatabase({ dataDir: join(dataDir, "pglite") });
  try {
    const [row] = await database.db.select({ n: count() }).from(table);
    return row?.n ?? -1;
  } finally {
    await database.close();
  }
}

describe("one process at a time on the embedded database", () => {
  it("the running server takes writes: the first-run account and a transaction", async () => {
    const web = new WebSession(server?.origin ?? "");
    const setup = await web.get("/setup");
    const created = await web.postForm("/setup", {
      _csrf: hiddenInput(setup.body, "_csrf") ?? "",
      email: OWNER,
      password: "owner password 1",
    });
    expect(created.status).toBe(303);
    const form = await web.get("/transactions/new");
    const added = await web.postForm("/transactions", {
      _csrf: hiddenInput(form.body, "_csrf") ?? "",
      kind: "expense",
      title: "written by the server",
      amount: "12.34",
      categoryId: numericOptions(form.body)[0]?.value ?? "",
      occurredOn: "2026-11-30",
    });
    expect(added.status).toBe(303);
  });

  const busy = () =>
    new RegExp(
      `^the embedded database in .*pglite is in use by the Expense Tracker server \\(pid \\d+, port ${port}\\): .*stop it first.*DATABASE_URL.*\\n$`,
    );

  it.each([
    ["import:mvp", ["--file", FIXTURE, "--email", OWNER], ""],
    ["user:add", ["--email", "second@example.test"], "second password\n"],
    ["start", [], ""],
  ])(
    "npm run %s is refused in one line and exits 2",
    async (script, args, input) => {
      const result = await runNpm(script, args, {
        env: { DATA_DIR: dataDir, PORT: String(port + 1) },
        input,
      });
      expect(result.stderr).toMatch(busy());
      expect(result.stdout).toBe("");
      expect(result.code).toBe(2);
    },
    60_000,
  );

  it("the server still serves, then stops cleanly and leaves no lock", async () => {
    const res = await fetch(`${server?.origin}/readyz`);
    expect(res.status).toBe(200);
    expect(await server?.stop()).toBe(0);
  });

  it("nothing was lost or half-written: the server's writes are there, the refused ones are not", async () => {
    expect(await count_(users)).toBe(1);
    expect(await count_(transactions)).toBe(1);
  });

  it("with the server stopped, the import runs, and what it wrote is there afterwards", async () => {
    const result = await runNpm("import:mvp", ["--file", FIXTURE, "--email", OWNER], {
      env: { DATA_DIR: dataDir },
    });
    expect(result.stdout).toMatch(
      /^imported 300 expenses totalling [\d.]+ into owner@example.test/,
    );
    expect(result.code).toBe(0);
    expect(await count_(transactions)).toBe(301);
  }, 60_000);
});
