import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { assetPath } from "../assets.ts";
import type { IconName } from "../brand/icons.ts";
import { BRAND } from "../brand/mark.ts";
import type { AppEnv } from "../env.ts";
import { Icon } from "./icon.tsx";
import { ThemeToggle, themeOf } from "./theme-toggle.tsx";

interface LayoutProps {
  title: string;
  /** Seconds after which the browser loads the page again (a progress page). Default never. */
  refresh?: number | undefined;
  c: Context<AppEnv>;
  children?: Child;
}

export function Layout({ title, c, children, refresh }: LayoutProps) {
  const user = c.get("user");
  const flash = c.get("flash");
  const path = c.req.path;
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en" data-bs-theme={themeOf(c)}>
        <DocumentHead title={title} refresh={refresh} />
        <body class="bg-body-tertiary">
          <a class="visually-hidden-focusable et-skip" href="#main">
            Skip to main content
          </a>
          <nav class="navbar navbar-expand-xl et-navbar mb-4" aria-label="Main">
            <div class="container">
              <a class="navbar-brand" href="/">
                <img class="et-mark" src={assetPath("mark.svg")} alt="" width="28" height="28" />
                Expense Tracker
              </a>
              {!user && (
                <div class="ms-auto">
                  <ThemeToggle c={c} />
                </div>
              )}
              {user && (
                <>
                  <button
                    class="navbar-toggler"
                    type="button"
                    data-bs-toggle="collapse"
                    data-bs-target="#nav"
                    aria-controls="nav"
                    aria-expanded="false"
                    aria-label="Menu"
                  >
                    <span class="navbar-toggler-icon" />
                  </button>
                  <div class="collapse navbar-collapse" id="nav">
                    <ul class="navbar-nav me-auto">
                      <li class="nav-item">
                        <NavLink current={path} href="/" label="Dashboard" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/transactions" label="Transactions" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/transactions/new" label="Add" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/categories" label="Categories" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/imports" label="Imports" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/budgets" label="Budgets" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/recurring" label="Recurring" />
                      </li>
                      <li class="nav-item">
                        <NavLink current={path} href="/settings" label="Settings" />
                      </li>
                      {user.isOwner && (
                        <li class="nav-item">
                          <NavLink current={path} href="/users" label="Household" />
                        </li>
                      )}
                    </ul>
                    <ThemeToggle c={c} />
                    {/* A page refused by the CSRF check has no token: its sign-out would be refused too. */}
                    {c.get("csrfToken") ? (
                      <form
                        method="post"
                        action="/signout"
                        class="d-flex align-items-center gap-2 ms-xl-2"
                      >
                        {/* The address where there is room for it; the menu stays on one line. */}
                        <span class="navbar-text small d-none d-xxl-inline">{user.email}</span>
                        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
                        <button
                          class="btn btn-outline-secondary btn-sm text-nowrap"
                          type="submit"
                          title={`Signed in as ${user.email}`}
                        >
                          <Icon name="box-arrow-right" /> Sign out
                        </button>
                      </form>
                    ) : (
                      <span class="navbar-text small">{user.email}</span>
                    )}
                  </div>
                </>
              )}
            </div>
          </nav>
          <main class="container pb-5" id="main" tabindex={-1}>
            {flash && (
              <div class={`alert alert-${flash.kind}`} role="status">
                {flash.text}
              </div>
            )}
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** Each menu entry's icon, by its address. */
const NAV_ICONS: Record<string, IconName> = {
  "/": "house",
  "/transactions": "list-ul",
  "/transactions/new": "plus-lg",
  "/categories": "tags",
  "/imports": "upload",
  "/budgets": "piggy-bank",
  "/recurring": "arrow-repeat",
  "/settings": "gear",
  "/users": "people",
};

function NavLink({ current, href, label }: { current: string; href: string; label: string }) {
  const active = current === href;
  const icon = NAV_ICONS[href];
  return (
    <a
      class={`nav-link${active ? " active" : ""}`}
      href={href}
      aria-current={active ? "page" : undefined}
    >
      {/* Icons in the phone menu and on wide screens; between, the labels alone keep one line. */}
      {icon && <Icon name={icon} class="me-1 d-xl-none d-xxl-inline-block" />}
      {label}
    </a>
  );
}

/**
 * `<head>`: the colour mode is resolved by app.js before the first paint (render-blocking, so
 * the page never flashes in the wrong colours); Bootstrap's script waits for the page.
 */
export function DocumentHead({ title, refresh }: { title: string; refresh?: number | undefined }) {
  // A template, not JSX, like Icon: a <head> in JSX slows every element rendered after it.
  const reload = refresh ? html`<meta http-equiv="refresh" content="${String(refresh)}"/>` : "";
  return html`<head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>${reload}<meta name="theme-color" content="${BRAND.colour}"/><meta name="color-scheme" content="light dark"/><title>${`${title} · Expense Tracker`}</title><script src="${assetPath("app.js")}"></script><link rel="icon" href="${assetPath("mark.svg")}" type="image/svg+xml"/><link rel="apple-touch-icon" href="${assetPath("icon-192.png")}"/><link rel="manifest" href="${assetPath("manifest.webmanifest")}"/><link rel="stylesheet" href="${assetPath("bootstrap.min.css")}"/><link rel="stylesheet" href="${assetPath("app.css")}"/><link rel="stylesheet" href="${assetPath("brand.css")}"/><script src="${assetPath("bootstrap.bundle.min.js")}" defer=""></script></head>`;
}

/** Renders a full page with the layout. */
export function page(
  c: Context<AppEnv>,
  title: string,
  body: Child,
  status: number = 200,
  options: { refresh?: number } = {},
) {
  return c.html(
    <Layout title={title} c={c} refresh={options.refresh}>
      {body}
    </Layout>,
    status as ContentfulStatusCode,
  );
}

export function CsrfField({ c }: { c: Context<AppEnv> }) {
  return <input type="hidden" name="_csrf" value={c.get("csrfToken")} />;
}
