// The look in a real headless Chromium against the real server (local mode, a temp DATA_DIR):
// the colour modes (the toggle, a reload, the first painted frame), axe-core on every page in
// both modes and both viewports, no sideways scrolling, the skip link and focus ring, and the
// weight of the list page. The steps build on each other, so they run in order. Screenshots go
// to $TMPDIR/expense-tracker-browser/.
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
import {
  createOwner,
  describeInBrowser,
  expectOnlyOwnOrigin,
  SCREENSHOT_DIR,
} from "./support/browser-session.ts";

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve("axe-core/axe.min.js"),
  "utf8",
);
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 375, height: 812 },
] as const;
const WIDTHS = [360, 375, 768, 1024, 1280];

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === "object");
  // The CSP refuses addScriptTag's inline script; evaluating the source is not refused.
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }
    ).axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  });
}

describeInBrowser("the look in a real browser", (s) => {
  let page: Page;
  beforeAll(() => {
    page = s.page;
  });
  const origin = () => s.origin;
  const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-bs-theme"));
  const pages: string[] = [];
  /** Chooses a colour mode with the navbar's menu (on a wide screen, where it is not collapsed). */
  const chooseMode = async (mode: "light" | "dark", path = "/settings") => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${origin()}${path}`);
    await page.getByRole("button", { name: /^Theme:/ }).click();
    await page
      .getByRole("button", { name: mode === "light" ? "Light" : "Dark", exact: true })
      .click();
    await page.waitForURL(`${origin()}${path}`);
    expect(await theme()).toBe(mode);
  };
  const waitForTheme = (mode: string) =>
    page.waitForFunction((m) => document.documentElement.getAttribute("data-bs-theme") === m, mode);

  it("signs up and adds 50 transactions", async () => {
    await createOwner(s);
    // Posts the form as the browser would, rows spread over the expense categories, in March.
    const post = (rows: { title: string; amount: string; day: number }[]) =>
      page.evaluate(async (rows) => {
        const form = document.querySelector('main form[method="post"]') as HTMLFormElement;
        const categories = [
          ...form.querySelectorAll<HTMLOptionElement>('select[name="categoryId"] option'),
        ]
          .map((o) => o.value)
          .filter(Boolean);
        let ok = 0;
        for (const [i, row] of rows.entries()) {
          const data = new FormData(form);
          data.delete("_key");
          data.set("title", row.title);
          data.set("amount", row.amount);
          data.set("occurredOn", `2026-03-${String(row.day).padStart(2, "0")}`);
          data.set("categoryId", categories[i % Math.min(categories.length, 5)] ?? "");
          const res = await fetch(form.action, {
            method: "POST",
            body: new URLSearchParams(data as unknown as Record<string, string>),
            redirect: "manual",
          });
          if (res.type === "opaqueredirect") ok++;
        }
        return ok;
      }, rows);
    await page.goto(`${origin()}/transactions/new`);
    const titles = ["Groceries", "Rent share", "Bus pass", "Cinema", "Pharmacy"];
    const added = await post(
      Array.from({ length: 48 }, (_, i) => ({
        title: `${titles[i % titles.length]} ${Math.floor(i / titles.length) + 1}`,
        amount: `${(i * 1.9 + 3.2).toFixed(2)}`,
        day: (i % 28) + 1,
      })),
    );
    await page.goto(`${origin()}/transactions/new?kind=income`);
    const income = await post([
      { title: "Salary", amount: "3200.00", day: 1 },
      { title: "Freelance", amount: "450.00", day: 15 },
    ]);
    expect(added + income).toBe(50);
    await page.goto(`${origin()}/transactions`);
    expect(await page.locator("tbody tr[data-id]").count()).toBe(50);
    const edit = await page.locator("tbody tr[data-id]").first().getAttribute("data-id");
    pages.push(
      "/",
      "/transactions",
      "/transactions/new",
      `/transactions/${edit}/edit`,
      `/transactions/${edit}/delete`,
      "/categories",
      "/budgets",
      "/imports",
      "/imports/new",
      "/recurring",
      "/recurring/new",
      "/settings",
      "/settings/tokens",
      "/account/password",
      "/users",
      "/docs/api",
      "/no-such-page",
    );
  });

  it("the colour mode follows the system by default, before the first paint", async () => {
    // Records the mode the first frame is painted in: rendering waits for app.js.
    await page.addInitScript(() => {
      requestAnimationFrame(() => {
        (window as { firstFrameTheme?: string | null }).firstFrameTheme =
          document.documentElement.getAttribute("data-bs-theme");
      });
    });
    const firstFrame = () =>
      page.evaluate(() => (window as { firstFrameTheme?: string | null }).firstFrameTheme);
    for (const scheme of ["dark", "light"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${origin()}/`);
      await page.waitForFunction(() => "firstFrameTheme" in window);
      expect(await firstFrame()).toBe(scheme);
      expect(await page.evaluate(() => document.documentElement.dataset.etTheme)).toBe("auto");
    }
    // A change of the system's setting is followed at once.
    await page.emulateMedia({ colorScheme: "dark" });
    await waitForTheme("dark");
    await page.emulateMedia({ colorScheme: "light" });
    await waitForTheme("light");
  });

  it("the navbar's toggle stores the mode for the user: a reload paints it first", async () => {
    await chooseMode("dark", "/categories");
    await page.reload();
    await page.waitForFunction(() => "firstFrameTheme" in window);
    expect(
      await page.evaluate(() => (window as { firstFrameTheme?: string }).firstFrameTheme),
    ).toBe("dark");
    // The server rendered it: a light system setting does not change a chosen mode.
    expect(await page.evaluate(() => document.documentElement.dataset.etTheme)).toBe("dark");
    expect(await page.getByRole("button", { name: "Theme: Dark" }).count()).toBe(1);
  });

  it("axe finds no serious or critical violation on any page, in both modes and viewports", async () => {
    const counts: string[] = [];
    const failures: string[] = [];
    for (const mode of ["light", "dark"] as const) {
      await chooseMode(mode);
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        for (const path of pages) {
          await page.goto(`${origin()}${path}`);
          expect(await theme()).toBe(mode);
          const violations = await axe(page);
          const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
          counts.push(
            `${mode} ${viewport.name} ${path}: ${violations.length} violations, ${bad.length} serious or critical`,
          );
          const lines = bad.map(
            (v) =>
              `${mode} ${viewport.name} ${path}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
          );
          failures.push(...lines);
        }
      }
    }
    console.log(`axe-core:\n${counts.join("\n")}`);
    expect(failures).toEqual([]);
  }, 300_000);

  it("no page scrolls sideways at 360, 375, 768, 1024 or 1280 px", async () => {
    const overflowing: string[] = [];
    let checked = 0;
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of [...pages, "/signin", "/offline"]) {
        await page.goto(`${origin()}${path}`);
        const { scroll, inner } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
        }));
        checked++;
        if (scroll > inner) overflowing.push(`${path} at ${width}: ${scroll} > ${inner}`);
      }
    }
    console.log(
      `overflow: ${checked} page-and-width pairs checked, ${overflowing.length} overflow`,
    );
    expect(overflowing).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it("the first Tab reaches the skip link, which moves focus to the page's content; the ring shows in both modes", async () => {
    for (const mode of ["dark", "light"] as const) {
      await chooseMode(mode);
      await page.goto(`${origin()}/budgets`);
      await page.keyboard.press("Tab");
      const focused = page.locator(":focus");
      expect(await focused.textContent()).toBe("Skip to main content");
      expect(await focused.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe("solid");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
      await page.keyboard.press("Tab");
      const ring = await page.locator(":focus").evaluate((el) => getComputedStyle(el).outlineStyle);
      expect(ring).toBe("solid");
    }
  });

  it("the cold list page of 50 rows transfers at most 80 KB", async () => {
    const context = page.context();
    // Without the service worker: Chromium counts answers from its cache as transferred bytes,
    // so a warm visit is measured against the HTTP cache alone.
    const fresh = await context
      .browser()
      ?.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
    if (!fresh) throw new Error("no browser");
    try {
      await fresh.addCookies(await context.cookies());
      const cold = await fresh.newPage();
      const weigh = () =>
        cold.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceResourceTiming;
          const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
          return {
            total: [nav, ...resources].reduce((sum, e) => sum + e.transferSize, 0),
            html: nav.transferSize,
            count: resources.length,
          };
        });
      await cold.goto(`${origin()}/transactions`);
      await cold.waitForLoadState("load");
      expect(await cold.locator("tbody tr[data-id]").count()).toBe(50);
      const first = await weigh();
      // Warm: the same page again, its assets from the cache (immutable URLs).
      await cold.goto(`${origin()}/transactions`);
      await cold.waitForLoadState("load");
      const warm = await weigh();
      console.log(
        `list page of 50 rows: cold ${(first.total / 1024).toFixed(1)} KB (HTML ${(first.html / 1024).toFixed(1)} KB, ${first.count} resources), warm ${(warm.total / 1024).toFixed(1)} KB`,
      );
      expect(first.total).toBeGreaterThan(20_000);
      expect(first.total).toBeLessThanOrEqual(80 * 1024);
      expect(warm.total).toBeLessThan(first.total);
    } finally {
      await fresh.close();
    }
  });

  it("saves screenshots of the dashboard in light and dark", async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    for (const mode of ["light", "dark"] as const) {
      await chooseMode(mode, "/?period=2026-03");
      const png = await page.screenshot({ path: join(SCREENSHOT_DIR, `dashboard-${mode}.png`) });
      expect(png.length).toBeGreaterThan(10_000);
    }
    expectOnlyOwnOrigin(s);
  });
});
