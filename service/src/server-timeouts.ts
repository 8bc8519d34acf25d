import type { ServerOptions } from "node:http";

/**
 * Timeouts of the HTTP server, set to sit just outside those of the proxies in front, so that a
 * slow or idle client is cut off by whoever is nearest to it, and nginx never reuses an upstream
 * connection the service is closing. The chain (README, "Timeouts"):
 *   CloudFront: originReadTimeout 30 s, originKeepaliveTimeout 5 s (infra/cdn.ts)
 *   nginx: client_header_timeout 15 s, client_body_timeout 15 s, proxy_read_timeout 30 s, and
 *          idle upstream connections kept for nginx's default 60 s (infra/instance/nginx.ts)
 *   service: the values below.
 * nginx buffers a request body before passing it on, so behind it no request takes long to
 * arrive. A direct connection (local mode, or the embedded database on a LAN) sends a CSV upload
 * of up to 20 MB (upload-limits.ts) itself, and Node's request timeout covers the whole body and
 * cannot be set per route: it is 5 minutes, 20 MB at about 550 kbit/s. Slow headers are still
 * cut at 20 s.
 */
export const SERVER_TIMEOUTS = {
  /** Whole request head, from the first byte. Past nginx's 15 s; protects direct connections. */
  headersTimeout: 20_000,
  /** Whole request, head and body (20 MB at most, a CSV upload). Past nginx's 30 s to read a response. */
  requestTimeout: 300_000,
  /** Idle keep-alive connection. Longer than nginx keeps an idle upstream connection (60 s). */
  keepAliveTimeout: 65_000,
  /** How often the two limits above are checked; Node's default (30 s) would let them slip. */
  connectionsCheckingInterval: 1_000,
} as const satisfies ServerOptions;
