import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import { updateTheme } from "../data/users.ts";
import { THEMES } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { safeNext } from "../lib/safe-path.ts";
import { parseTheme, THEME_COOKIE } from "../lib/theme.ts";
import { cookieOptions } from "../middleware/session.ts";
import { errorPage } from "../views/errors.tsx";

/** How long a signed-out browser remembers its colour mode: a year. */
const THEME_COOKIE_SECONDS = 365 * 24 * 60 * 60;

/**
 * POST /theme: the navbar's colour-mode menu. Stored with the signed-in user's settings, and in
 * a cookie for the signed-out pages of this browser; then back to the page it was sent from
 * (a path on this site, checked as the sign-in redirect is).
 */
export function themeRoutes() {
  const app = new Hono<AppEnv>();
  app.post("/theme", async (c) => {
    const form = await c.req.parseBody();
    const theme = parseTheme(typeof form.theme === "string" ? form.theme : undefined);
    if (!theme) {
      return errorPage(c, 422, `The colour mode must be one of: ${THEMES.join(", ")}.`);
    }
    const user = c.get("user");
    if (user) await updateTheme(c.get("deps").db, user.id, theme);
    setCookie(c, THEME_COOKIE, theme, cookieOptions(c, THEME_COOKIE_SECONDS));
    return c.redirect(safeNext(typeof form.back === "string" ? form.back : undefined), 303);
  });
  return app;
}
