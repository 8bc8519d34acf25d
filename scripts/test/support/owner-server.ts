import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../service/test/support/server-process.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export interface OwnerServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The server's output lines, for a failure message. */
  log: string[];
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * The real app (`service/src/server.ts`) in local mode on a throwaway embedded database, with an
 * owner account provisioned at start-up (OWNER_EMAIL + OWNER_PASSWORD_FILE), as a deployment has.
 * The shared `startServer` helper cannot pass those variables, hence this starter.
 */
export async function startOwnerServer(owner: {
  email: string;
  password: string;
}): Promise<OwnerServer> {
  const dir = mkdtempSync(join(tmpdir(), "smoke-app-"));
  writeFileSync(join(dir, "owner-password"), owner.password, { mode: 0o600 });
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "service/src/server.ts"], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: join(dir, "data"),
      OWNER_EMAIL: owner.email,
      OWNER_PASSWORD_FILE: join(dir, "owner-password"),
      // "listening" is an info line; requests are info too, so they land in `log`, not the console.
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const exited = once(child, "exit");
  const listening = new Promise<void>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding("utf8");
      stream.on("data", (chunk: string) => {
        log.push(...chunk.trimEnd().split("\n"));
        if (chunk.includes('"msg":"listening"')) resolve();
      });
    }
    exited.then(() => reject(new Error(`the server exited before listening:\n${log.join("\n")}`)));
    setTimeout(
      () => reject(new Error(`the server did not start within 20 s:\n${log.join("\n")}`)),
      20_000,
    ).unref();
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(force);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await listening;
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin: `http://127.0.0.1:${port}`, log, stop };
}
