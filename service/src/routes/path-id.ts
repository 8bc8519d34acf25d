import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import { parseId } from "../lib/ids.ts";

/** The `:id` path parameter as a positive PostgreSQL integer, or undefined (answered with 404). */
export function pathId(c: Context<AppEnv>): number | undefined {
  return parseId(c.req.param("id") ?? "");
}
