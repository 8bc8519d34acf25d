// Bearer tokens only: a session cookie is not a credential here, so the API needs no CSRF token.
import type { MiddlewareHandler } from "hono";
import { checkApiToken, TOKEN_PREFIX, touchApiToken } from "../../data/api-tokens.ts";
import type { AppEnv } from "../../env.ts";
import type { RequestRateLimit } from "../../lib/rate-limit.ts";
import type { FailureThrottle } from "../../lib/throttle.ts";
import { now } from "../../middleware/session.ts";
import { ApiError } from "./errors.ts";

/** Bad tokens allowed per client address and minute before 429. */
export const BAD_TOKEN_LIMIT = 30;

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const CHALLENGE = 'Bearer realm="expense-tracker"';
const HOW =
  "Send a personal access token as `Authorization: Bearer et_pat_...`; create one on the settings page (API tokens).";

const unauthorized = (message: string, invalid: boolean) =>
  new ApiError(
    401,
    message,
    {},
    {
      "WWW-Authenticate": invalid ? `${CHALLENGE}, error="invalid_token"` : CHALLENGE,
    },
  );

/**
 * Sets `user` from the request's bearer token and `apiToken` to its row, refuses read-only
 * tokens on writes (403) and counts the request against the token's rate limit (429).
 */
export function bearerAuth(
  limit: RequestRateLimit,
  badTokens: FailureThrottle,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      const cookie = c.req.header("cookie") ?? "";
      throw unauthorized(
        /et_session=/.test(cookie)
          ? `The API does not accept a session cookie. ${HOW}`
          : `This request has no token. ${HOW}`,
        false,
      );
    }
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) throw unauthorized(`Only Bearer authorization is accepted. ${HOW}`, true);
    const address = `api-token:${c.get("client").ip}`;
    const wait = badTokens.waitSeconds({ [address]: BAD_TOKEN_LIMIT });
    if (wait > 0) {
      throw new ApiError(
        429,
        `Too many bad tokens from this address; try again in ${wait} seconds.`,
        {},
        {
          "Retry-After": String(wait),
        },
      );
    }
    const { db } = c.get("deps");
    const at = now(c);
    const checked = await checkApiToken(db, match[1] as string, at);
    if (!checked.ok) {
      badTokens.record([address]);
      throw unauthorized(
        checked.reason === "expired"
          ? `This token expired on ${checked.expiredAt?.toISOString()}; create a new one on the settings page.`
          : checked.reason === "malformed"
            ? `That is not a token of this app (they start with ${TOKEN_PREFIX}). ${HOW}`
            : "This token is not valid: it was revoked, its user removed, or it was mistyped.",
        true,
      );
    }
    const { token, user } = checked;
    const retry = limit.take(`token:${token.id}`);
    c.header("RateLimit-Limit", String(limit.perMinute));
    c.header("RateLimit-Remaining", String(limit.remaining(`token:${token.id}`)));
    if (retry > 0) {
      throw new ApiError(
        429,
        `This token made more than ${limit.perMinute} requests in a minute; try again in ${retry} seconds.`,
        {},
        { "Retry-After": String(retry) },
      );
    }
    if (!READ_METHODS.has(c.req.method) && token.scope !== "read-write") {
      throw new ApiError(
        403,
        "This token is read-only; create a read-write token on the settings page to make changes.",
      );
    }
    c.set("user", user);
    await touchApiToken(db, token, at);
    await next();
  };
}
