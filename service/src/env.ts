import type { Db } from "./db/client.ts";
import type { User } from "./db/schema.ts";
import type { Logger } from "./lib/logger.ts";
import type { ClientInfo } from "./middleware/client.ts";

export interface Flash {
  kind: "success" | "danger" | "info";
  text: string;
}

/** Hono's type environment for every route: the per-request values middleware sets. */
export interface AppEnv {
  Variables: {
    requestId: string;
    client: ClientInfo;
    /** The signed-in user, or null. */
    user: User | null;
    /** Token every form posts back as `_csrf`. */
    csrfToken: string;
    flash: Flash | undefined;
    deps: AppDeps;
  };
}

/** What createApp needs from the outside world. */
export interface AppDeps {
  db: Db;
  logger: Logger;
  /** Signs cookies and CSRF tokens. */
  sessionSecret: string;
  /** Proxy hops to trust for forwarded headers. */
  trustProxy: number;
  /** PUBLIC_URL's origins: the only hosts served, and the Origins a form may come from. Default none. */
  publicOrigins?: readonly string[];
  /** Whether the first-run page exists. */
  localMode: boolean;
  /** Clock, replaceable in tests. Default `() => new Date()`. */
  now?: () => Date;
  /** API requests allowed per token and minute (API_RATE_LIMIT). Default 600. */
  apiRateLimit?: number;
  /**
   * Asks the recurring worker for a pass soon (after a rule was added with past occurrences to
   * create); the request does not wait for it. Default: nothing (no worker, as in tests).
   */
  wakeRecurring?: () => void;
  /**
   * The whole embedded database as SQL (pg_dump), taken by this process, which holds it; offered
   * to the owner on the settings page. Default none (PostgreSQL has its own backups).
   */
  instanceDump?: (() => Promise<Blob>) | undefined;
  /** Serve the service worker that removes itself (SERVICE_WORKER=retire). Default false. */
  retireServiceWorker?: boolean;
  /** Where the server is in its life; set by `server.ts`. Default: ready, not stopping. */
  lifecycle?: Lifecycle;
}

/** The server's state, which requests and the readiness probe look at. */
export interface Lifecycle {
  /** False until the database is reachable and migrated; pages answer 503 until then. */
  ready: boolean;
  /** Why it is not ready yet, for /readyz. */
  reason: string;
  /** Set on SIGTERM: every answer says `Connection: close`. */
  stopping: boolean;
}
