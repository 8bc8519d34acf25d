import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const SERVER_ENTRY = "service/src/server.ts";

/** A free TCP port on 127.0.0.1, found by letting the kernel pick one and releasing it. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  probe.close();
  await once(probe, "close");
  if (!address || typeof address === "string") throw new Error("no port from the kernel");
  return address.port;
}

export interface ServerOptions {
  /** Folder for the embedded database and the session secret. */
  dataDir: string;
  /** Port on 127.0.0.1. */
  port: number;
  /** Where the child's stdout and stderr lines go, in order; kept out of the console. */
  log: string[];
  /** How long to wait for the "listening" log line. Default 45 s. */
  startTimeoutMs?: number;
  /** More environment for the server, e.g. OWNER_EMAIL and OWNER_PASSWORD_FILE. Default none. */
  env?: Record<string, string>;
  /**
   * Whether to wait, after "listening", until /readyz answers 200 (the server listens before
   * its database is ready). Default true.
   */
  waitForReady?: boolean;
}

export interface ServerProcess {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Sends SIGTERM, waits for a clean exit (SIGKILL after `timeoutMs`); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** Ends the process at once if it still runs; for clean-up after a failure. */
  kill(): void;
}

/**
 * Starts the real server (`service/src/server.ts` through tsx) as a child process in local mode,
 * on the embedded database under `dataDir`, and resolves once it logs "listening".
 */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const { dataDir, port, log } = options;
  const child = spawn(process.execPath, ["--import", "tsx", SERVER_ENTRY], {
    cwd: REPO_ROOT,
    // Only what the server needs: a DATABASE_URL or TRUST_PROXY from the caller's shell would
    // leave local mode.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = new Promise<void>((resolve, reject) => {
    capture(child, log, (line) => {
      if (line.includes('"msg":"listening"')) resolve();
    });
    exited.then(
      ([code, signal]) =>
        reject(new Error(`the server exited before listening (code ${code}, signal ${signal})`)),
      reject,
    );
  });
  let timer: NodeJS.Timeout | undefined;
  // Generous: tsx compiles the server on start, slow on a loaded 2-core machine; below the
  // 60 s hook timeout that waits for it.
  const timeoutMs = options.startTimeoutMs ?? 45_000;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the server was not serving within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const origin = `http://127.0.0.1:${port}`;
  const serving = async () => {
    await ready;
    while (options.waitForReady !== false) {
      const res = await fetch(`${origin}/readyz`).catch(() => undefined);
      if (res?.status === 200) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await Promise.race([serving(), timeout]);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  } finally {
    clearTimeout(timer);
  }

  return {
    origin,
    async stop(stopTimeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
      try {
        const [code] = await exited;
        return code;
      } finally {
        clearTimeout(force);
      }
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Splits the child's output into lines, tagged with the stream, into `log`. */
function capture(child: ChildProcess, log: string[], onLine: (line: string) => void): void {
  for (const [name, stream] of [
    ["out", child.stdout],
    ["err", child.stderr],
  ] as const) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        log.push(`[server ${child.pid} ${name}] ${line}`);
        onLine(line);
      }
    });
    stream?.on("end", () => {
      if (rest) log.push(`[server ${child.pid} ${name}] ${rest}`);
    });
  }
}
