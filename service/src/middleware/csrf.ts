import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env.ts";
import { CSRF_COOKIE, cookieOptions } from "./session.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function tokenFor(secret: string, cookie: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookie}`).digest("base64url");
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** PUBLIC_URL's origins when set; otherwise the origin the request itself names. */
const allowedOrigins = (c: Context<AppEnv>): readonly string[] => {
  const listed = c.get("deps").publicOrigins;
  return listed?.length ? listed : [c.get("client").origin];
};

/**
 * Every state-changing request must come from one of our own forms: its Origin (when the browser
 * sends one) must be this site, and its `_csrf` field must be the HMAC of the browser's
 * HttpOnly CSRF cookie. Otherwise 403 and nothing runs.
 */
export function csrf(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const secret = c.get("deps").sessionSecret;
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
        sameToken(sent, tokenFor(secret, cookie)) &&
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
    c.set("csrfToken", tokenFor(secret, cookie));
    await next();
  };
}
