import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { assetPath } from "../assets.ts";
import type { AppEnv } from "../env.ts";

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
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {refresh ? <meta http-equiv="refresh" content={String(refresh)} /> : null}
          <title>{`${title} · Expense Tracker`}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href={assetPath("bootstrap.min.css")} />
          <link rel="stylesheet" href={assetPath("app.css")} />
          <script src={assetPath("bootstrap.bundle.min.js")} defer />
        </head>
        <body class="bg-light">
          <nav class="navbar navbar-expand-lg navbar-dark bg-dark mb-4">
            <div class="container">
              <a class="navbar-brand" href="/">
                Expense Tracker
              </a>
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
                    {/* A page refused by the CSRF check has no token: its sign-out would be refused too. */}
                    {c.get("csrfToken") ? (
                      <form method="post" action="/signout" class="d-flex align-items-center gap-2">
                        {/* The address where there is room for it; the menu stays on one line. */}
                        <span class="navbar-text small d-none d-xxl-inline">{user.email}</span>
                        <input type="hidden" name="_csrf" value={c.get("csrfToken")} />
                        <button
                          class="btn btn-outline-light btn-sm text-nowrap"
                          type="submit"
                          title={`Signed in as ${user.email}`}
                        >
                          Sign out
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
          <main class="container pb-5">
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

function NavLink({ current, href, label }: { current: string; href: string; label: string }) {
  const active = current === href;
  return (
    <a
      class={`nav-link${active ? " active" : ""}`}
      href={href}
      aria-current={active ? "page" : undefined}
    >
      {label}
    </a>
  );
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
