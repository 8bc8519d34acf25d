import { raw } from "hono/html";
import { Icon } from "./icon.tsx";
import { DocumentHead } from "./layout.tsx";

/**
 * The page the service worker shows when the server cannot be reached at all. Public and the
 * same for everyone (it is kept in the browser): no account, no amounts, the system's colours.
 */
export function OfflinePage() {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en" data-bs-theme="auto">
        <DocumentHead title="Offline" />
        <body class="bg-body-tertiary">
          <main class="container py-5" id="main">
            <div class="et-empty">
              <Icon name="wifi-off" />
              <h1 class="h3 text-body">You are offline</h1>
              <p>
                The Expense Tracker server cannot be reached from this device right now. Nothing is
                shown from before: your money stays on the server.
              </p>
              <a class="btn btn-primary" href="/">
                Try again
              </a>
            </div>
          </main>
        </body>
      </html>
    </>
  );
}
