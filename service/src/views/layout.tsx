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

/** The menu, in order: address, label and icon. */
const NAV: { href: string; label: string; icon: IconName; ownerOnly?: boolean }[] = [
  { href: "/", label: "Dashboard", icon: "house" },
  { href: "/transactions", label: "Transactions", icon: "list-ul" },
  { href: "/transactions/new", label: "Add", icon: "plus-lg" },
  { href: "/categories", label: "Categories", icon: "tags" },
  { href: "/imports", label: "Imports", icon: "upload" },
  { href: "/budgets", label: "Budgets", icon: "piggy-bank" },
  { href: "/recurring", label: "Recurring", icon: "arrow-repeat" },
  { href: "/settings", label: "Settings", icon: "gear" },
  { href: "/users", label: "Household", icon: "people", ownerOnly: true },
];

/**
 * The page around its content. A template, not JSX, like DocumentHead and the list's rows: every
 * page renders it, and hono/jsx builds and walks a node per element.
 */
export function Layout({ title, c, children, refresh }: LayoutProps) {
  const user = c.get("user");
  const flash = c.get("flash");
  const path = c.req.path;
  const menu = user
    ? userMenu(c, user, path)
    : html`<div class="ms-auto">${ThemeToggle({ c })}</div>`;
  const notice = flash
    ? html`<div class="alert alert-${flash.kind}" role="status">${flash.text}</div>`
    : "";
  return html`<!doctype html><html lang="en" data-bs-theme="${themeOf(c)}">${DocumentHead({ title, refresh })}<body class="bg-body-tertiary"><a class="visually-hidden-focusable et-skip" href="#main">Skip to main content</a><nav class="navbar navbar-expand-xl et-navbar mb-4" aria-label="Main"><div class="container"><a class="navbar-brand" href="/"><img class="et-mark" src="${assetPath("mark.svg")}" alt="" width="28" height="28"/>Expense Tracker</a>${menu}</div></nav><main class="container pb-5" id="main" tabindex="-1">${notice}${children}</main></body></html>`;
}

/** The signed-in menu: its links, the colour mode and sign-out, folded behind a button on phones. */
function userMenu(c: Context<AppEnv>, user: { email: string; isOwner: boolean }, path: string) {
  const token = c.get("csrfToken");
  // A page refused by the CSRF check has no token: its sign-out would be refused too. The address
  // shows where there is room for it; the menu stays on one line.
  const signOut = token
    ? html`<form method="post" action="/signout" class="d-flex align-items-center gap-2 ms-xl-2"><span class="navbar-text small d-none d-xxl-inline">${user.email}</span><input type="hidden" name="_csrf" value="${token}"/><button class="btn btn-outline-secondary btn-sm text-nowrap" type="submit" title="${`Signed in as ${user.email}`}">${Icon({ name: "box-arrow-right" })} Sign out</button></form>`
    : html`<span class="navbar-text small">${user.email}</span>`;
  const links = NAV.filter((n) => !n.ownerOnly || user.isOwner).map(
    (n) => html`<li class="nav-item">${navLink(path, n)}</li>`,
  );
  return html`<button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-controls="nav" aria-expanded="false" aria-label="Menu"><span class="navbar-toggler-icon"></span></button><div class="collapse navbar-collapse" id="nav"><ul class="navbar-nav me-auto">${links}</ul>${ThemeToggle({ c })}${signOut}</div>`;
}

function navLink(
  current: string,
  { href, label, icon }: { href: string; label: string; icon: IconName },
) {
  const active = current === href;
  // Icons in the phone menu and on wide screens; between, the labels alone keep one line.
  return html`<a class="nav-link${active ? " active" : ""}" href="${href}"${active ? raw(' aria-current="page"') : ""}>${Icon({ name: icon, class: "me-1 d-xl-none d-xxl-inline-block" })}${label}</a>`;
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
