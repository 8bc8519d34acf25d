// What a newcomer sees in a terminal: `npm start` says where the app runs in one plain line and
// then stays quiet; a busy port and an old Node.js are one line each; stopping npm stops the server.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { collect, npmEnv, REPO_ROOT, runNpm, spawnNpm } from "./support/npm-script.ts";
import { freePort } from "./support/server-process.ts";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "et-start-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const answers = (port: number) => () =>
  fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.ok,
    () => false,
  );

/** The Node.js on this machine's own PATH, when it is older than 24 (this machine ships 20). */
function oldNode(): string | undefined {
  for (const path of ["/usr/bin/node", "/usr/local/bin/node"]) {
    if (!existsSync(path)) continue;
    const version = spawnSync(path, ["--version"]).stdout.toString().trim();
    if (Number(version.replace(/^v/, "").split(".")[0]) < 24) return path;
  }
  return undefined;
}

describe("npm start in a terminal", () => {
  it("prints one plain line with the address, no request logs, and Ctrl-C stops it", async () => {
    const port = await freePort();
    // `script` gives the server a real terminal, as a person's shell would.
    const child = spawn("script", ["-qfec", "npm run --silent start", "/dev/null"], {
      cwd: REPO_ROOT,
      env: npmEnv({ env: { DATA_DIR: dataDir, PORT: String(port), TERM: "dumb" } }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    const result = collect(child, 60_000);
    try {
      expect(await waitUntil(answers(port), 30_000)).toBe(true);
      for (const path of ["/", "/setup", "/nope"]) await fetch(`http://127.0.0.1:${port}${path}`);
      await new Promise((r) => setTimeout(r, 300));
      child.stdin?.write("\x03"); // Ctrl-C, through the terminal
    } finally {
      setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
    }
    // npm itself reports the Ctrl-C (exit 130, as a shell would); what matters is the server.
    const { stdout } = await result;
    const lines = stdout.split(/\r?\n/).filter((l) => l.trim() !== "" && l.trim() !== "^C");
    expect(lines).toEqual([
      `Expense Tracker is running at http://localhost:${port}  (Ctrl-C stops it)`,
    ]);
    expect(await answers(port)()).toBe(false);
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
  }, 90_000);

  it("writes JSON log lines when its output is not a terminal", async () => {
    const port = await freePort();
    const child = spawnNpm("start", [], { env: { DATA_DIR: dataDir, PORT: String(port) } });
    const result = collect(child, 60_000);
    expect(await waitUntil(answers(port), 30_000)).toBe(true);
    child.kill("SIGTERM");
    const { stdout } = await result;
    const messages = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).msg);
    expect(messages).toContain("listening");
    expect(messages).toContain("request");
  }, 90_000);

  it("SIGTERM to the npm process stops the server and frees the port", async () => {
    const port = await freePort();
    const npm = spawnNpm("start", [], { env: { DATA_DIR: dataDir, PORT: String(port) } });
    const result = collect(npm, 60_000);
    expect(await waitUntil(answers(port), 30_000)).toBe(true);
    npm.kill("SIGTERM");
    await result;
    expect(await waitUntil(async () => !(await answers(port)()), 10_000)).toBe(true);
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
    // The port is free again: a new listener gets it.
    const probe = createServer().listen(port, "127.0.0.1");
    await once(probe, "listening");
    probe.close();
  }, 90_000);

  it("a port in use is one line that names the port and PORT=, exit 2", async () => {
    const taken = createServer().listen(0, "127.0.0.1");
    await once(taken, "listening");
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await runNpm("start", [], {
        env: { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
      });
      expect(stderr).toBe(
        `port ${port} on 127.0.0.1 is already in use (another Expense Tracker, or another program); stop that, or choose another port: PORT=${port + 1} npm start\n`,
      );
      expect(stdout).toBe("");
      expect(code).toBe(2);
      expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
    } finally {
      taken.close();
    }
  }, 90_000);

  const node20 = oldNode();
  it.skipIf(!node20).each(["start", "import:mvp", "user:add", "test", "build"])(
    "on an older Node.js, npm run %s says in one line what is needed and how to get it",
    async (script) => {
      const { code, stdout, stderr } = await runNpm(script, [], {
        node: node20,
        env: { DATA_DIR: dataDir },
      });
      expect(stderr).toMatch(
        /^expense-tracker needs Node.js 24 or later, and this is Node.js v\d+\.\d+\.\d+: run `\. scripts\/node24\.sh`.*\n$/,
      );
      expect(stdout).toBe("");
      expect(code).toBe(2);
    },
  );
});
