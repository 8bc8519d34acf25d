import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { describeCause } from "../db/errors.ts";
import { pendingMigrationsReason } from "../db/migrate.ts";
import type { AppEnv } from "../env.ts";
import type { LogFields } from "../lib/logger.ts";

/**
 * Liveness and readiness probes, for load balancers and the deploy's smoke test. `warnOutage`
 * logs an unreachable database at most every few seconds, however often the probe asks.
 */
export function healthRoutes(warnOutage: (msg: string, fields?: LogFields) => void) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const { db, lifecycle } = c.get("deps");
    if (lifecycle?.stopping) return c.json({ status: "unavailable", reason: "shutting down" }, 503);
    if (lifecycle && !lifecycle.ready) {
      return c.json({ status: "unavailable", reason: `starting: ${lifecycle.reason}` }, 503);
    }
    try {
      await db.execute(sql`select 1`);
    } catch (err) {
      warnOutage("readiness: database unreachable", { error: describeCause(err) });
      return c.json({ status: "unavailable", reason: "database unreachable" }, 503);
    }
    const pending = await pendingMigrationsReason(db);
    if (pending) return c.json({ status: "unavailable", reason: pending }, 503);
    return c.json({ status: "ready" });
  });
  return app;
}
