// One process at a time on an embedded database folder: the lock itself, across real processes.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.ts";
import {
  EmbeddedDatabaseBusyError,
  lockEmbeddedDatabase,
  takeOver,
} from "../src/db/embedded-lock.ts";

const HOLDER = fileURLToPath(new URL("./support/lock-holder.ts", import.meta.url));

/** The id of a process that has exited, so that no process has it (for now). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

interface Holder {
  child: ChildProcess;
  /** The first line it printed: "locked" or "busy <pid>". */
  said: Promise<string>;
}

function holder(dataDir: string, options: { startAt?: number; hold?: boolean } = {}): Holder {
  const args = ["--import", "tsx", HOLDER, dataDir, String(options.startAt ?? 0)];
  const child = spawn(process.execPath, options.hold ? [...args, "hold"] : args, {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const said = new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
    });
    child.on("exit", (code) => reject(new Error(`holder exited with ${code} before a word`)));
  });
  return { child, said };
}

let dir: string;
let dataDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "et-lock-"));
  dataDir = join(dir, "pglite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the embedded database lock", () => {
  it("records who holds it, and is gone after release", () => {
    const lock = lockEmbeddedDatabase(dataDir, { command: "the server", port: 3000 });
    const recorded = JSON.parse(readFileSync(`${dataDir}.lock`, "utf8"));
    expect(recorded).toMatchObject({ pid: process.pid, command: "the server", port: 3000 });
    lock.release();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    lock.release();
  });

  it("refuses a second holder in the same process", () => {
    const lock = lockEmbeddedDatabase(dataDir, { command: "the server", port: 3000 });
    try {
      expect(() => lockEmbeddedDatabase(dataDir, { command: "a command" })).toThrow(
        EmbeddedDatabaseBusyError,
      );
    } finally {
      lock.release();
    }
  });

  it("refuses while another process holds it, naming the pid, and is free once that one is killed", async () => {
    const first = holder(dataDir, { hold: true });
    expect(await first.said).toBe("locked");
    try {
      const error = (() => {
        try {
          lockEmbeddedDatabase(dataDir, { command: "a command" });
        } catch (err) {
          return err;
        }
      })() as EmbeddedDatabaseBusyError;
      expect(error).toBeInstanceOf(EmbeddedDatabaseBusyError);
      expect(error.holder.pid).toBe(first.child.pid);
      expect(error.message).toContain(`pid ${first.child.pid}`);
    } finally {
      first.child.kill("SIGKILL");
      await once(first.child, "exit");
    }
    // A kill -9 leaves the lock file behind, held by a process that is gone: it is taken over.
    expect(existsSync(`${dataDir}.lock`)).toBe(true);
    const lock = lockEmbeddedDatabase(dataDir, { command: "a command" });
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it.each([
    ["a process that is gone", () => `${JSON.stringify({ pid: deadPid(), command: "x" })}\n`],
    ["this very pid (a restarted container)", () => JSON.stringify({ pid: process.pid })],
    ["nothing readable", () => ""],
  ])("takes over a lock left by %s", (_, content) => {
    writeFileSync(`${dataDir}.lock`, content());
    const lock = lockEmbeddedDatabase(dataDir, { command: "a command" });
    expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8"))).toMatchObject({
      pid: process.pid,
      command: "a command",
    });
    lock.release();
  });

  it("does not take over a stale lock that another process took over after we read it", async () => {
    const stale = { pid: deadPid(), command: "x", startedAt: "2026-01-01T00:00:00.000Z" };
    writeFileSync(`${dataDir}.lock`, JSON.stringify(stale));
    // We read the stale holder; before we act, another process takes the lock over.
    const other = holder(dataDir, { hold: true });
    expect(await other.said).toBe("locked");
    try {
      expect(takeOver(`${dataDir}.lock`, stale, JSON.stringify({ pid: process.pid }))).toBe(false);
      expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(other.child.pid);
      expect(existsSync(`${dataDir}.lock.takeover`)).toBe(false);
    } finally {
      other.child.stdin?.end();
      await once(other.child, "exit");
    }
  });

  it("gives a stale lock to exactly one of six processes that find it at the same moment", async () => {
    writeFileSync(`${dataDir}.lock`, JSON.stringify({ pid: deadPid(), command: "x" }));
    const startAt = Date.now() + 2_500; // after all six have loaded
    const holders = Array.from({ length: 6 }, () => holder(dataDir, { startAt, hold: true }));
    try {
      const said = await Promise.all(holders.map((h) => h.said));
      const winners = holders.filter((_, i) => said[i] === "locked");
      expect(winners).toHaveLength(1);
      const winnerPid = winners[0]?.child.pid;
      expect(said.filter((s) => s === `busy ${winnerPid}`)).toHaveLength(5);
      expect(JSON.parse(readFileSync(`${dataDir}.lock`, "utf8")).pid).toBe(winnerPid);
    } finally {
      for (const h of holders) h.child.stdin?.end();
      await Promise.all(holders.map((h) => h.child.exitCode === null && once(h.child, "exit")));
    }
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 30_000);

  it("is taken before PGlite opens the folder: a refused open writes nothing there", async () => {
    const first = holder(dataDir, { hold: true });
    expect(await first.said).toBe("locked");
    try {
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(EmbeddedDatabaseBusyError);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      first.child.stdin?.end();
      await once(first.child, "exit");
    }
    const database = await openDatabase({ dataDir });
    await database.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  });
});
