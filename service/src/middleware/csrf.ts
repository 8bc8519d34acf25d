import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env.ts";
import { CSRF_COOKIE, cookieOptions, SESSION_COOKIE } from "./session.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const TOKEN_BYTES = 32;

/**
 * The unmasked token: bound to the session when someone is signed in, else to the browser's
 * pre-sign-in cookie. A token from before sign-in (or from another session) is worthless after.
 */
function rawToken(c: Context<AppEnv>, cookie: string): Buffer {
  const session = c.get("user") ? getCookie(c, SESSION_COOKIE) : undefined;
  const bound = session ? `session:${session}` : `browser:${cookie}`;
  return createHmac("sha256", c.get("deps").sessionSecret).update(`csrf:${bound}`).digest();
}

/**
 * A fresh random pad, then pad XOR token: every response carries different bytes, so a
 * compressed page that also reflects input never repeats a secret (the BREACH pattern).
 */
export function maskToken(raw: Buffer): string {
  const pad = randomBytes(TOKEN_BYTES);
  const masked = Buffer.alloc(TOKEN_BYTES);
  for (let i = 0; i < TOKEN_BYTES; i++) masked[i] = (pad[i] ?? 0) ^ (raw[i] ?? 0);
  return Buffer.concat([pad, masked]).toString("base64url");
}

/** Whether `sent` is some masking of `raw`. */
export function matchesToken(sent: string, raw: Buffer): boolean {
  if (!/^[A-Za-z0-9_-]{86}$/.test(sent)) return false;
  const bytes = Buffer.from(sent, "base64url");
  const unmasked = Buffer.alloc(TOKEN_BYTES);
  for (let i = 0; i < TOKEN_BYTES; i++) {
    unmasked[i] = (bytes[i] ?? 0) ^ (bytes[TOKEN_BYTES + i] ?? 0);
  }
  return raw.length === TOKEN_BYTES && timingSafeEqual(unmasked, raw);
}

/** PUBLIC_URL's origins when set; otherwise the origin the request itself names. */
const allowedOrigins = (c: Context<AppEnv>): readonly string[] => {
  const listed = c.get("deps").publicOrigins;
  return listed?.length ? listed : [c.get("client").origin];
};

/**
 * Every state-changing request must come from one of our own forms: its Origin (when the browser
 * sends one) must be this site, and its `_csrf` field must be a masking of the token of this
 * session (or, before sign-in, of the browser's HttpOnly CSRF cookie). Otherwise 403 and nothing runs.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let cookie = getCookie(c, CSRF_COOKIE);
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      const site = c.req.header("sec-fetch-site");
      const formType = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(
        c.req.header("content-type") ?? "",
      );
      // A body that does not parse as the form it claims to be carries no valid token either.
      const sent = formType
        ? await c.req.formData().then(
            (f) => f.get("_csrf"),
            () => null,
          )
        : null;
      const ok =
        cookie !== undefined &&
        typeof sent === "string" &&
        matchesToken(sent, rawToken(c, cookie)) &&
        (origin === undefined || allowedOrigins(c).includes(origin)) &&
        site !== "cross-site";
      if (!ok) {
        throw new HTTPException(403, {
          message:
            "This form has expired or was sent from another site. Reload the page and try again.",
        });
      }
    }
    if (!cookie) {
      cookie = randomBytes(24).toString("base64url");
      setCookie(c, CSRF_COOKIE, cookie, cookieOptions(c));
    }
    c.set("csrfToken", maskToken(rawToken(c, cookie)));
    await next();
  };
}
