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
}
