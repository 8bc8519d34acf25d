import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { pendingMigrationsReason } from "../db/migrate.ts";
import type { AppEnv } from "../env.ts";

/** Liveness and readiness probes, for load balancers and the deploy's smoke test. */
export function healthRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const { db, logger } = c.get("deps");
    try {
      await db.execute(sql`select 1`);
    } catch (err) {
      logger.warn("readiness: database unreachable", { error: (err as Error).message });
      return c.json({ status: "unavailable", reason: "database unreachable" }, 503);
    }
    const pending = await pendingMigrationsReason(db);
    if (pending) return c.json({ status: "unavailable", reason: pending }, 503);
    return c.json({ status: "ready" });
  });
  return app;
}
