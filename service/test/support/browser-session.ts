// A real headless Chromium against the real server, started as a child process in local mode on
// a temp DATA_DIR, for one test file whose steps build on each other. Logs are printed only when
// a step fails; every request the page makes is kept, to check that none leaves the origin.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import { freePort, type ServerProcess, startServer } from "./server-process.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);

export const EMAIL = "owner@example.test";
export const PASSWORD = "correct horse battery";
/** Screenshots go here (git-ignored, outside the tree). */
export const SCREENSHOT_DIR = join(tmpdir(), "expense-tracker-browser");

export interface BrowserSession {
  readonly page: Page;
  readonly origin: string;
  readonly serverLog: string[];
  readonly consoleLog: string[];
  readonly pageErrors: string[];
  readonly requests: string[];
  /** Stops the server with SIGTERM (resolving with its exit code) and starts it again on the same DATA_DIR. */
  restart(): Promise<number | null>;
}

/**
 * `describe` for browser steps: skipped with a message where there is no Chromium, except under
 * CI=true, where the missing browser fails the run.
 */
export function describeInBrowser(name: string, steps: (s: BrowserSession) => void): void {
  if (!available && !process.env.CI) {
    console.warn(`skipping "${name}": no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  }
  describe.skipIf(!available && !process.env.CI)(name, () => steps(session()));
}

function session(): BrowserSession {
  const serverLog: string[] = [];
  const consoleLog: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  let dataDir = "";
  let port = 0;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;

  const printed = { server: 0, console: 0 };
  const printLogs = () => {
    console.error(
      [
        "--- server output ---",
        ...serverLog.slice(printed.server),
        "--- browser console ---",
        ...consoleLog.slice(printed.console),
      ].join("\n"),
    );
    printed.server = serverLog.length;
    printed.console = consoleLog.length;
  };

  beforeAll(async () => {
    if (!available) throw new Error(`no Chromium at ${CHROMIUM}; CI=true requires it`);
    try {
      dataDir = await mkdtemp(join(tmpdir(), "expense-tracker-browser-data-"));
      port = await freePort();
      server = await startServer({ dataDir, port, log: serverLog });
      browser = await chromium.launch({
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
        timeout: 15_000,
      });
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: "en-US",
        colorScheme: "light",
      });
      context.on("request", (r) => {
        requests.push(r.url());
      });
      page = await context.newPage();
      page.setDefaultTimeout(5_000);
      page.setDefaultNavigationTimeout(10_000);
      page.on("console", (m) => {
        consoleLog.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => {
        pageErrors.push(e.message);
      });
    } catch (err) {
      printLogs();
      throw err;
    }
  });

  beforeEach(({ onTestFailed }) => {
    onTestFailed(printLogs);
  });

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await server?.stop(5_000).catch(() => server?.kill());
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  return {
    get page() {
      if (!page) throw new Error("the browser did not start");
      return page;
    },
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    serverLog,
    consoleLog,
    pageErrors,
    requests,
    async restart() {
      const code = (await server?.stop()) ?? null;
      server = await startServer({ dataDir, port, log: serverLog });
      return code;
    },
  };
}

/** First run: the setup page creates the owner and signs them in on the dashboard. */
export async function createOwner(s: BrowserSession): Promise<void> {
  const { page, origin } = s;
  await page.goto(`${origin}/`);
  expect(new URL(page.url()).pathname).toBe("/setup");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${origin}/`);
}

export interface NewTransaction {
  kind: "expense" | "income";
  title: string;
  amount: string;
  category: string;
  date: string;
  payment?: string;
  notes?: string;
}

/** Adds a transaction through the list's "Add transaction" button and the form. */
export async function addTransaction(s: BrowserSession, t: NewTransaction): Promise<void> {
  const { page, origin } = s;
  await page.goto(`${origin}/transactions`);
  await page.getByRole("link", { name: "Add transaction" }).click();
  await page.waitForURL(`${origin}/transactions/new`);
  if (t.kind === "income") {
    // The form is for one kind at a time; its tabs switch it, and the categories with it.
    await page.getByRole("link", { name: "Income", exact: true }).click();
    await page.waitForURL(`${origin}/transactions/new?kind=income`);
  }
  await page.getByLabel("Title").fill(t.title);
  await page.getByLabel("Amount").fill(t.amount);
  await page.getByLabel("Category").selectOption({ label: t.category });
  await page.getByLabel("Date").fill(t.date);
  await page.getByLabel("Payment method (optional)").fill(t.payment ?? "");
  await page.getByLabel("Notes (optional)").fill(t.notes ?? "");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await page.waitForURL(`${origin}/transactions`);
  expect(await page.getByRole("status").textContent()).toBe(`Added “${t.title}”.`);
}

/** No request left the origin, no CSP violation, no script error. */
export function expectOnlyOwnOrigin(s: BrowserSession): void {
  expect(s.requests.length).toBeGreaterThan(10);
  expect(s.requests.filter((url) => !url.startsWith(`${s.origin}/`))).toEqual([]);
  expect(s.consoleLog.filter((line) => /Content[- ]Security[- ]Policy/i.test(line))).toEqual([]);
  // Chromium logs 4xx answers (an invalid form's 422, a 404) as errors; any other error (a refused
  // script or style, a failing script) is a failure.
  const httpStatus =
    /^error: Failed to load resource: the server responded with a status of 4\d\d /;
  expect(s.consoleLog.filter((l) => l.startsWith("error:") && !httpStatus.test(l))).toEqual([]);
  expect(s.pageErrors).toEqual([]);
}
