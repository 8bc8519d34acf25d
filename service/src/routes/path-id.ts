import type { Context } from "hono";
import type { AppEnv } from "../env.ts";

/** The `:id` path parameter as a positive PostgreSQL integer, or undefined (answered with 404). */
export function pathId(c: Context<AppEnv>): number | undefined {
  const raw = c.req.param("id") ?? "";
  return /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647 ? Number(raw) : undefined;
}
