// The installable app in a real Chromium, against the app served in this process (so the test can
// make it answer 503, and stop it): the installability check, the service worker and its offline
// page. A persistent profile, because Chromium reports "in-incognito" for playwright's ordinary
// contexts and checks nothing else.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.tsx";
import { type Database, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import type { Lifecycle } from "../src/env.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { TEST_SECRET } from "./support/harness.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  console.warn(
    `skipping the installable app: no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

async function listen(
  app: ReturnType<typeof createApp>,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: app.fetch, hostname: "127.0.0.1", port: 0 },
      (info: AddressInfo) => resolve({ server, port: info.port }),
    );
  });
}

describe.skipIf(!available && !process.env.CI)("the installable app in a real browser", () => {
  let database: Database;
  let server: ServerType | undefined;
  let origin = "";
  let profile = "";
  let context: BrowserContext;
  let page: Page;
  const lifecycle: Lifecycle = { ready: true, reason: "", stopping: false };

  beforeAll(async () => {
    if (!available) throw new Error(`no Chromium at ${CHROMIUM}; CI=true requires it`);
    database = await openDatabase({});
    await migrate(database.db);
    const app = createApp({
      db: database.db,
      logger: silentLogger,
      sessionSecret: TEST_SECRET,
      trustProxy: 0,
      localMode: false,
      lifecycle,
    });
    const listening = await listen(app);
    server = listening.server;
    origin = `http://127.0.0.1:${listening.port}`;
    profile = await mkdtemp(join(tmpdir(), "expense-tracker-profile-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1280, height: 800 },
      timeout: 15_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(5_000);
  });

  afterAll(async () => {
    await context?.close().catch(() => {});
    server?.close();
    await database?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("Chromium's installability check reports no error, and the worker controls the page", async () => {
    await page.goto(`${origin}/signin`);
    const scope = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return registration.scope;
    });
    expect(scope).toBe(`${origin}/`);
    // The worker takes over the open page (clients.claim) once it is active.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send("Page.getInstallabilityErrors")) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const manifest = (await cdp.send("Page.getAppManifest")) as {
      errors: unknown[];
      url: string;
    };
    expect(manifest.errors).toEqual([]);
    expect(manifest.url).toMatch(/\/assets\/manifest\.[0-9a-f]{12}\.webmanifest$/);
  });

  it("the worker keeps the hashed assets and the offline page, and no page with money on it", async () => {
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
      }
      return urls.sort();
    });
    expect(cached).toContain("/offline");
    expect(cached.filter((u) => u !== "/offline").every((u) => u.startsWith("/assets/"))).toBe(
      true,
    );
    expect(cached.some((u) => /^\/assets\/bootstrap\.[0-9a-f]{12}\.min\.css$/.test(u))).toBe(true);
  });

  it("a 503 from the server is shown as the server sent it", async () => {
    lifecycle.ready = false;
    try {
      const res = await page.goto(`${origin}/signin`);
      expect(res?.status()).toBe(503);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
        "Temporarily unavailable",
      );
    } finally {
      lifecycle.ready = true;
    }
  });

  it("with the server gone (a network error), a navigation shows the offline page, styled", async () => {
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    server = undefined;
    await page.goto(`${origin}/transactions`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("You are offline");
    expect(await page.title()).toBe("Offline · Expense Tracker");
    // Its stylesheet came from the worker's cache: Bootstrap's body font is applied.
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).toContain("system-ui");
  });
});
