import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import type { IconName } from "../brand/icons.ts";
import { THEMES, type Theme } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { parseTheme, THEME_COOKIE, THEME_LABELS } from "../lib/theme.ts";
import { Icon } from "./icon.tsx";

const ICONS: Record<Theme, IconName> = { auto: "circle-half", light: "sun", dark: "moon-stars" };

/** The colour mode to render: the signed-in user's, else this browser's cookie, else auto. */
export function themeOf(c: Context<AppEnv>): Theme {
  return c.get("user")?.theme ?? parseTheme(getCookie(c, THEME_COOKIE)) ?? "auto";
}

/**
 * The navbar's colour-mode menu: each mode is a button of one small form (POST /theme), which
 * comes back to this page. No script is needed to change it.
 */
export function ThemeToggle({ c }: { c: Context<AppEnv> }) {
  const current = themeOf(c);
  const token = c.get("csrfToken");
  // A page refused by the CSRF check has no token: the form would be refused too.
  if (!token) return "";
  const url = new URL(c.req.url);
  // A template, not JSX, as the layout that holds it.
  const choices = THEMES.map(
    (t) =>
      html`<button class="dropdown-item d-flex align-items-center gap-2${t === current ? " active" : ""}" type="submit" name="theme" value="${t}" aria-pressed="${t === current ? "true" : "false"}">${Icon({ name: ICONS[t] })}${THEME_LABELS[t]}</button>`,
  );
  return html`<div class="dropdown"><button class="btn btn-link nav-link dropdown-toggle" type="button" data-bs-toggle="dropdown" aria-expanded="false" aria-label="${`Theme: ${THEME_LABELS[current]}`}" title="Theme">${Icon({ name: ICONS[current] })}<span class="d-xl-none ms-1">Theme</span></button><form method="post" action="/theme" class="dropdown-menu dropdown-menu-end"><input type="hidden" name="_csrf" value="${token}"/><input type="hidden" name="back" value="${`${url.pathname}${url.search}`}"/>${choices}</form></div>`;
}
