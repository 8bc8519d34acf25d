// The embedded database (PGlite) is one process per data directory: a second process that opens
// the same folder "succeeds", and the writes of one of them are silently lost. A lock file next to
// the folder makes the second process refuse instead. A lock left by a process that is gone (a
// crash, a kill -9, a reboot) is taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";

/** Who holds the lock: shown to the process that is refused. */
export interface LockHolder {
  pid: number;
  /** What the holder is, in words: "the server" or "npm run import:mvp". */
  command: string;
  /** For a server: the port it listens on. */
  port?: number | undefined;
  startedAt: string;
}

export class EmbeddedDatabaseBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const who = `${holder.command} (pid ${holder.pid}${holder.port ? `, port ${holder.port}` : ""})`;
    const todo = holder.port
      ? `stop it first (Ctrl-C in its terminal, or kill ${holder.pid})`
      : `wait for it to finish, or stop it (kill ${holder.pid})`;
    super(
      `the embedded database in ${dataDir} is in use by ${who}: one process at a time can open it; ${todo}, or set DATABASE_URL to use PostgreSQL`,
    );
    this.name = "EmbeddedDatabaseBusyError";
  }
}

/** Locks this process holds, by path, each with its release; all released when it exits. */
const exitHooks = new Map<string, () => void>();
process.on("exit", () => {
  for (const release of exitHooks.values()) release();
});

export interface HeldLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): void;
}

/**
 * Whether a process with this id exists (EPERM: it exists but belongs to someone else). Our own
 * id in a lock we do not hold is stale: a restarted container often gets the same pid.
 */
function processExists(pid: number, path: string): boolean {
  if (pid === process.pid) return exitHooks.has(path);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(path: string): LockHolder | "missing" | "unreadable" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  try {
    const holder = JSON.parse(text) as LockHolder;
    return Number.isInteger(holder.pid) && holder.pid > 0 ? holder : "unreadable";
  } catch {
    return "unreadable"; // not written by this program, or damaged: nobody can be holding it
  }
}

/**
 * Creates `path` with `content` only if it does not exist; false if it does. The content is
 * written to a file of our own first and then linked into place, so that nobody ever reads a
 * lock that is there but not yet written.
 */
function createExclusive(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}.draft`;
  writeFileSync(draft, content, { mode: 0o600 });
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(draft);
  }
}

const sameHolder = (a: LockHolder | string, b: LockHolder | string) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Takes the lock `<dataDir>.lock` for this process, or throws EmbeddedDatabaseBusyError naming the
 * live process that holds it. Taking over a stale lock goes through a second, short-lived lock
 * (`<dataDir>.lock.takeover`), so that of two processes that find the same stale lock at once,
 * one takes it and the other is refused.
 */
export function lockEmbeddedDatabase(
  dataDir: string,
  holder: Omit<LockHolder, "pid" | "startedAt">,
): HeldLock {
  const path = `${dataDir}.lock`;
  const mine: LockHolder = { pid: process.pid, ...holder, startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(mine)}\n`;

  for (let attempt = 0; attempt < 20; attempt++) {
    if (createExclusive(path, content)) return held(path, mine);
    const found = readHolder(path);
    if (found === "missing") continue; // released just now: try again
    if (found !== "unreadable" && processExists(found.pid, path)) {
      throw new EmbeddedDatabaseBusyError(dataDir, found);
    }
    if (takeOver(path, found, content)) return held(path, mine);
    // Someone else is taking it over: give them a moment, then look again.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
  }
  throw new Error(`could not take the lock ${path}: it keeps changing hands`);
}

/**
 * Replaces the stale lock `path` (held by `stale`) with ours; false if someone else moved first.
 * Exported for the tests, which play the other process.
 */
export function takeOver(path: string, stale: LockHolder | "unreadable", content: string): boolean {
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, `${process.pid}\n`)) {
    // Another process is taking over, or died doing so (then its guard is stale too).
    let guardPid: number;
    try {
      guardPid = Number.parseInt(readFileSync(guard, "utf8"), 10);
    } catch {
      return false; // finished just now: look again
    }
    if (Number.isInteger(guardPid) && processExists(guardPid, guard)) return false;
    try {
      renameSync(guard, `${guard}.${process.pid}`);
      unlinkSync(`${guard}.${process.pid}`);
    } catch {}
    return false;
  }
  try {
    // Still the same stale holder? Then nobody else replaced it while we looked.
    if (!sameHolder(readHolder(path), stale)) return false;
    unlinkSync(path);
    return createExclusive(path, content);
  } finally {
    unlinkSync(guard);
  }
}

function held(path: string, mine: LockHolder): HeldLock {
  const release = () => {
    exitHooks.delete(path);
    if (sameHolder(readHolder(path), mine)) {
      try {
        unlinkSync(path);
      } catch {}
    }
  };
  // A process that exits without closing the database (process.exit, an uncaught error) still
  // leaves no lock behind; only a kill -9 or a crash of Node itself does, and that one is stale.
  exitHooks.set(path, release);
  return { path, release };
}
