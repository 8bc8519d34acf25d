import { isIP } from "node:net";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

export interface ClientInfo {
  /** The viewer's address: the socket peer, or the forwarded one `trustProxy` hops back. */
  ip: string;
  /** `https` or `http` as the viewer sees it. */
  proto: "http" | "https";
  /** Host the viewer asked for. */
  host: string;
  /** `${proto}://${host}`: what the Origin header of a same-site form post must equal. */
  origin: string;
}

// The value the nearest proxy set: earlier entries of a list may come from the client.
const nearest = (value: string | undefined) => value?.split(",").at(-1)?.trim() || undefined;

/**
 * Where the request came from. Forwarded headers count only when TRUST_PROXY says how many proxy
 * hops to trust; otherwise address, scheme and host come from the socket and the request line.
 */
export function resolveClient(
  headers: (name: string) => string | undefined,
  url: URL,
  socketAddress: string | undefined,
  trustProxy: number,
): ClientInfo {
  let ip = socketAddress ?? "unknown";
  let proto: "http" | "https" = url.protocol === "https:" ? "https" : "http";
  let host = headers("host") ?? url.host;
  if (trustProxy > 0) {
    // X-Forwarded-For is "client, proxy1, proxy2"; each trusted hop appended the address it saw.
    const chain = (headers("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (socketAddress) chain.push(socketAddress);
    ip = chain[Math.max(0, chain.length - 1 - trustProxy)] ?? ip;
    const fwdProto = nearest(headers("x-forwarded-proto"))?.toLowerCase();
    if (fwdProto === "https" || fwdProto === "http") proto = fwdProto;
    host = nearest(headers("x-forwarded-host")) ?? host;
  }
  return { ip, proto, host, origin: `${proto}://${host}` };
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

export function clientInfo(trustProxy: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const socket = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
    c.set(
      "client",
      resolveClient((n) => c.req.header(n), new URL(c.req.url), socket, trustProxy),
    );
    await next();
  };
}

/**
 * In local mode the server answers only to localhost or an IP address. A web page that rebinds
 * its own DNS name to this machine cannot then use the first-run page or guess passwords.
 */
export function localHostsOnly(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let hostname = "";
    try {
      hostname = new URL(`http://${c.get("client").host}`).hostname.replace(/^\[|\]$/g, "");
    } catch {
      // An unparsable Host is refused below.
    }
    if (hostname !== "localhost" && isIP(hostname) === 0) {
      return c.text(
        "This local server answers only at localhost or its IP address (set TRUST_PROXY to serve a domain).",
        421,
      );
    }
    await next();
  };
}
