import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { createSession, deleteSession, SESSION_TTL_MS, userForSession } from "../data/sessions.ts";
import type { AppEnv, Flash } from "../env.ts";

export const SESSION_COOKIE = "et_session";
/** Kept here, not in csrf.ts, because signing in and out rotates it. */
export const CSRF_COOKIE = "et_csrf";
const FLASH_COOKIE = "et_flash";

/** HttpOnly, SameSite=Lax, and Secure whenever the viewer's connection is HTTPS. */
export function cookieOptions(c: Context<AppEnv>, maxAgeSeconds?: number): CookieOptions {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: c.get("client").proto === "https",
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** Loads the signed-in user (or null) and the pending flash message. */
export function session(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, sessionSecret } = c.get("deps");
    const token = getCookie(c, SESSION_COOKIE);
    const user = token ? await userForSession(db, token, now(c)) : undefined;
    c.set("user", user ?? null);
    if (token && !user) deleteCookie(c, SESSION_COOKIE, { path: "/" });

    const flash = await getSignedCookie(c, sessionSecret, FLASH_COOKIE);
    if (flash) {
      c.set("flash", parseFlash(flash));
      deleteCookie(c, FLASH_COOKIE, { path: "/" });
    }
    await next();
  };
}

function parseFlash(raw: string): Flash | undefined {
  try {
    const v = JSON.parse(raw) as Flash;
    return typeof v.text === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}

export function now(c: Context<AppEnv>): Date {
  return c.get("deps").now?.() ?? new Date();
}

/**
 * Starts a session. A session this browser already had ends, and its CSRF cookie is dropped so
 * the next page issues a fresh one: nothing set before sign-in carries over.
 */
export async function signIn(c: Context<AppEnv>, userId: number): Promise<void> {
  await endSession(c);
  const token = await createSession(c.get("deps").db, userId, now(c));
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c, SESSION_TTL_MS / 1000));
}

export async function signOut(c: Context<AppEnv>): Promise<void> {
  await endSession(c);
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

async function endSession(c: Context<AppEnv>): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deleteSession(c.get("deps").db, token);
  deleteCookie(c, CSRF_COOKIE, { path: "/" });
}

/** Shows `text` on the next page the browser loads. */
export async function flash(c: Context<AppEnv>, text: string, kind: Flash["kind"] = "success") {
  await setSignedCookie(
    c,
    FLASH_COOKIE,
    JSON.stringify({ kind, text }),
    c.get("deps").sessionSecret,
    cookieOptions(c, 60),
  );
}

/** Routes below need a signed-in user; others are sent to the sign-in page. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("user")) {
      const back = new URL(c.req.url);
      const next_ = c.req.method === "GET" ? `${back.pathname}${back.search}` : "/";
      return c.redirect(`/signin?next=${encodeURIComponent(next_)}`, 303);
    }
    await next();
  };
}
