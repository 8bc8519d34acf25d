import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { isLoopback } from "../lib/address.ts";
import { normalHost } from "../lib/public-url.ts";

// The boot script and the deploy's readiness command ask for these at http://127.0.0.1:3000.
const PROBES = new Set(["/healthz", "/readyz"]);

/**
 * With PUBLIC_URL set, the site answers only at those addresses: a request naming any other host
 * gets 421, so a page on a domain an attacker points here cannot talk to the site as itself.
 * Health probes from this machine (loopback, no proxy in between) are exempt.
 */
export function publicHostsOnly(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const hosts = new Set(origins.map((o) => new URL(o).host));
  const sentence = `This site answers only at ${origins.join(" and ")}.`;
  return async (c, next) => {
    const client = c.get("client");
    const host = normalHost(client.proto, client.host);
    if (host !== undefined && hosts.has(host)) return next();
    if (PROBES.has(c.req.path) && isLoopback(client.ip)) return next();
    return c.text(sentence, 421);
  };
}
