// The database password as a command prints it (on the instance: the migration unit's et-fetch
// reading the RDS-managed master secret) or a file holds it, re-read when PostgreSQL refuses it,
// so a rotated password needs no restart.
import { type ExecFileException, execFile } from "node:child_process";
import type { Client, ClientConfig, PoolClient, PoolConfig } from "pg";

/** How long the password command may run, and how much it may print. */
const PASSWORD_COMMAND_TIMEOUT_MS = 10_000;
const PASSWORD_COMMAND_MAX_OUTPUT = 64 * 1024;

/**
 * The password as the command last printed it. Connections starting together share one run of
 * the command; a run that fails is not kept, so the next connection runs it again.
 */
export class PasswordCache {
  private current: Promise<string> | undefined;
  private readonly usedBy = new WeakMap<object, Promise<string>>();

  constructor(private readonly fetch: () => Promise<string>) {}

  /** The password for `connection`, running the command if nothing is cached. */
  get(connection: object): Promise<string> {
    if (!this.current) {
      const run = this.fetch();
      this.current = run;
      run.catch(() => {
        if (this.current === run) this.current = undefined;
      });
    }
    this.usedBy.set(connection, this.current);
    return this.current;
  }

  /** PostgreSQL refused the password `connection` sent: forget it, unless a newer one is cached. */
  rejected(connection: object): void {
    if (this.current && this.usedBy.get(connection) === this.current) this.current = undefined;
  }
}

/** SQLSTATE 28P01 (invalid_password) or 28000 (invalid_authorization_specification). */
function isAuthFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "28P01" || code === "28000";
}

type Pg = typeof import("pg").default;
type ClientCallback = ((err: Error) => void) | ((err: null, c: Client) => void);
type PoolCallback = (
  err: Error | undefined,
  client: PoolClient | undefined,
  done: (release?: Error | boolean) => void,
) => void;

/**
 * A pool whose new connections ask `passwords` for the password. A connection refused for its
 * password makes the cache forget it, and the pool tries once more, which re-runs the command:
 * after a rotation the request that meets the old password still succeeds. Open connections are
 * untouched; PostgreSQL keeps them when a password changes.
 */
export function rotatingPasswordPool(pg: Pg, config: PoolConfig, passwords: PasswordCache) {
  class PasswordClient extends pg.Client {
    constructor(clientConfig?: string | ClientConfig) {
      super(clientConfig);
      // Set here, not in the config: pg lets the connection string's (empty) password replace it.
      Object.defineProperty(this, "password", {
        configurable: true,
        enumerable: false,
        writable: true,
        value: () => passwords.get(this),
      });
    }

    override connect(): Promise<Client>;
    override connect(callback: ClientCallback): void;
    override connect(callback?: ClientCallback): Promise<Client> | undefined {
      const connected = super.connect().catch((err: unknown) => {
        if (isAuthFailure(err)) passwords.rejected(this);
        throw err;
      });
      if (!callback) return connected;
      const reply = callback as (err: Error | null, c?: Client) => void;
      connected.then(
        (c) => reply(null, c),
        (err: Error) => reply(err),
      );
      return undefined;
    }
  }

  class RetryingPool extends pg.Pool {
    override connect(): Promise<PoolClient>;
    override connect(callback: PoolCallback): void;
    override connect(callback?: PoolCallback): Promise<PoolClient> | undefined {
      const connected = super.connect().catch((err: unknown) => {
        if (isAuthFailure(err) && !this.ending) return super.connect();
        throw err;
      });
      if (!callback) return connected;
      connected.then(
        (client) => callback(undefined, client, client.release),
        (err: Error) => callback(err, undefined, () => {}),
      );
      return undefined;
    }
  }

  return new RetryingPool({ ...config, Client: PasswordClient });
}

/**
 * Runs the password command without a shell and returns what it printed, less the final newline.
 * The error never contains the output, which could be the password.
 */
export function runPasswordCommand(command: readonly string[]): Promise<string> {
  const [program, ...args] = command;
  return new Promise((resolve, reject) => {
    if (!program) {
      reject(new Error("the database password command is empty"));
      return;
    }
    execFile(
      program,
      args,
      {
        encoding: "utf8",
        timeout: PASSWORD_COMMAND_TIMEOUT_MS,
        maxBuffer: PASSWORD_COMMAND_MAX_OUTPUT,
      },
      (err, stdout, stderr) => {
        const fail = (why: string) =>
          reject(new Error(`the database password command (${program}) ${why}`));
        if (err) return fail(commandFailure(err, stderr));
        const password = stdout.replace(/\r?\n$/, "");
        if (password === "") return fail("printed nothing");
        resolve(password);
      },
    );
  });
}

/** Why the command failed, with the last line it wrote to stderr (never stdout). */
function commandFailure(err: ExecFileException, stderr: string): string {
  const detail = stderr.trim().split("\n").at(-1)?.slice(0, 200);
  let why: string;
  if (err.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER")
    why = `printed more than ${PASSWORD_COMMAND_MAX_OUTPUT} bytes`;
  else if (err.killed) why = `did not finish within ${PASSWORD_COMMAND_TIMEOUT_MS / 1000} s`;
  else if (err.code === "ENOENT") why = "was not found";
  else if (typeof err.code === "number") why = `exited with status ${err.code}`;
  else if (err.signal) why = `was stopped by ${err.signal}`;
  else why = `could not run (${err.code ?? "unknown error"})`;
  return detail ? `${why}: ${detail}` : why;
}
