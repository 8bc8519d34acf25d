import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startServer } from "../../../service/test/support/server-process.ts";

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
 */
export async function startOwnerServer(owner: {
  email: string;
  password: string;
}): Promise<OwnerServer> {
  const dir = mkdtempSync(join(tmpdir(), "smoke-app-"));
  writeFileSync(join(dir, "owner-password"), owner.password, { mode: 0o600 });
  const log: string[] = [];
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const server = await startServer({
      dataDir: join(dir, "data"),
      port: await freePort(),
      log,
      env: { OWNER_EMAIL: owner.email, OWNER_PASSWORD_FILE: join(dir, "owner-password") },
    });
    return {
      origin: server.origin,
      log,
      async stop() {
        await server.stop();
        remove();
      },
    };
  } catch (err) {
    remove();
    throw new Error(`${(err as Error).message}\n${log.join("\n")}`);
  }
}
