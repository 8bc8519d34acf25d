// Starts moto_server (a local AWS emulator, installed on the test machines) on a free port.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

export interface Moto {
  /** For AWS_ENDPOINT_URL. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Whether moto_server is on PATH. */
function motoInstalled(): boolean {
  return spawnSync("sh", ["-c", "command -v moto_server"], { encoding: "utf8" }).status === 0;
}

/**
 * Whether a suite that needs moto_server should run: skipped with a message on a laptop without
 * it, a failure under CI=true (.ci/run installs it).
 */
export function requireMoto(): boolean {
  if (motoInstalled()) return true;
  const message = "moto_server is not installed (pip install 'moto[server]==5.2.*')";
  if (process.env.CI) throw new Error(`${message}; CI requires it`);
  console.warn(`skipping: ${message}`);
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Resolves once moto answers HTTP; rejects if it exits first or is not up within `timeoutMs`. */
export async function startMoto(timeoutMs = 30_000): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited(child);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError || child.exitCode !== null) {
      throw new Error(`moto_server did not start: ${spawnError?.message ?? log}`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      return { endpoint, stop };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
