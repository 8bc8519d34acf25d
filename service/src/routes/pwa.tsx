import { createHash } from "node:crypto";
import { Hono } from "hono";
import { assetPaths } from "../assets.ts";
import type { AppEnv } from "../env.ts";
import {
  OFFLINE_PATH,
  retiringServiceWorkerSource,
  serviceWorkerSource,
} from "../lib/service-worker.ts";
import { OfflinePage } from "../views/offline.tsx";

export interface PwaOptions {
  /** Serve the worker that unregisters itself and deletes its caches. Default false. */
  retireServiceWorker?: boolean;
}

/**
 * The installable app's two public, static answers: the service worker at /sw.js (scope /,
 * checked for updates on every visit: no-cache) and the offline page it keeps.
 */
export function pwaRoutes(options: PwaOptions = {}) {
  const app = new Hono<AppEnv>();
  const paths = assetPaths();
  const version = createHash("sha256").update(paths.join("\n")).digest("hex").slice(0, 12);
  const worker = options.retireServiceWorker
    ? retiringServiceWorkerSource()
    : serviceWorkerSource(paths, version);
  app.get("/sw.js", (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(worker);
  });
  app.get(OFFLINE_PATH, (c) => {
    c.header("Cache-Control", "no-cache");
    return c.html(<OfflinePage />);
  });
  return app;
}
