// The look through app.request(): the colour mode (POST /theme, stored for the user or in a
// cookie, rendered into <html data-bs-theme>), the head every page carries, the manifest and its
// icons, the icon sprite, the service worker and the offline page.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assetPath, assetPaths } from "../src/assets.ts";
import { ICON_NAMES, iconSprite } from "../src/brand/icons.ts";
import { markPng, markSvg } from "../src/brand/mark.ts";
import { users } from "../src/db/schema.ts";
import { retiringServiceWorkerSource } from "../src/lib/service-worker.ts";
import { Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

const htmlTheme = (html: string) => /<html lang="en" data-bs-theme="([^"]+)"/.exec(html)?.[1];

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect([...bytes.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("the mark and the icons", () => {
  it("the PNG icons are the sizes asked for, and the same bytes every time", () => {
    expect(pngSize(markPng(192))).toEqual({ width: 192, height: 192 });
    expect(pngSize(markPng(512, { maskable: true }))).toEqual({ width: 512, height: 512 });
    expect(markPng(192).equals(markPng(192))).toBe(true);
    expect(markPng(512).equals(markPng(512, { maskable: true }))).toBe(false);
  });

  it("the SVG mark is one tile and three bars", () => {
    expect(markSvg().match(/<rect /g)).toHaveLength(4);
  });

  it("the sprite holds exactly the icons the pages use", () => {
    const ids = [...iconSprite().matchAll(/<symbol id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual([...ICON_NAMES]);
  });
});

describeEachDatabase("the look", (t) => {
  it("every page's head has the theme colour, the manifest, the icon and app.js before the styles", async () => {
    const res = await testApp(t.current()).request("/signin");
    const html = await res.text();
    expect(htmlTheme(html)).toBe("auto");
    expect(html).toContain('<meta name="theme-color" content="#1a6b6b"/>');
    expect(html).toContain(`<link rel="manifest" href="${assetPath("manifest.webmanifest")}"/>`);
    expect(html).toContain(
      `<link rel="icon" href="${assetPath("mark.svg")}" type="image/svg+xml"/>`,
    );
    // Render-blocking (no defer), and before the first stylesheet.
    const script = html.indexOf(`<script src="${assetPath("app.js")}"></script>`);
    expect(script).toBeGreaterThan(0);
    expect(script).toBeLessThan(html.indexOf('rel="stylesheet"'));
    expect(html).toContain('<a class="visually-hidden-focusable et-skip" href="#main">');
    expect(html).toContain('id="main"');
    expect(html).not.toMatch(/ style=|<script>/);
  });

  it("POST /theme signed out sets a cookie and comes back; the next page renders the mode", async () => {
    const agent = new Agent(testApp(t.current()));
    await agent.get("/signin");
    const res = await agent.post("/theme", { theme: "dark", back: "/signin?next=%2Fbudgets" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/signin?next=%2Fbudgets");
    expect(agent.cookies.get("et_theme")).toBe("dark");
    expect(htmlTheme(await (await agent.get("/signin")).text())).toBe("dark");
  });

  it("POST /theme signed in stores the mode with the user, which wins over a browser cookie", async () => {
    const app = testApp(t.current());
    const { agent, user } = await signedInAgent(app, t.current());
    const res = await agent.post("/theme", { theme: "light", back: "/categories" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/categories");
    const [row] = await t
      .current()
      .db.select({ theme: users.theme })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row?.theme).toBe("light");
    // The user's choice wins over a browser cookie saying otherwise.
    agent.cookies.set("et_theme", "dark");
    expect(htmlTheme(await (await agent.get("/categories")).text())).toBe("light");
  });

  it("POST /theme with an unknown mode is refused with the modes accepted, and stores nothing", async () => {
    const app = testApp(t.current());
    const { agent, user } = await signedInAgent(app, t.current());
    const res = await agent.post("/theme", { theme: "sepia", back: "/" });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("The colour mode must be one of: auto, light, dark.");
    const [row] = await t
      .current()
      .db.select({ theme: users.theme })
      .from(users)
      .where(eq(users.id, user.id));
    expect(row?.theme).toBe("auto");
    expect(agent.cookies.has("et_theme")).toBe(false);
  });

  it("POST /theme goes back only to a path on this site, and needs the CSRF token", async () => {
    const agent = new Agent(testApp(t.current()));
    await agent.get("/signin");
    for (const back of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const res = await agent.post("/theme", { theme: "dark", back });
      expect(res.headers.get("location")).toBe("/");
    }
    const refused = await agent.post("/theme", { theme: "dark", _csrf: "x".repeat(86) });
    expect(refused.status).toBe(403);
  });

  it("/sw.js is served with no-cache and precaches every hashed asset and the offline page", async () => {
    const res = await testApp(t.current()).request("/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const source = await res.text();
    const precache = JSON.parse(/const PRECACHE = (\[.*\]);/.exec(source)?.[1] ?? "[]");
    expect(precache).toEqual([...assetPaths(), "/offline"]);
    expect(source).toContain('request.method !== "GET"');
    expect(source).toContain('request.mode === "navigate"');
  });

  it("the retiring worker deletes the caches and unregisters itself", async () => {
    const res = await testApp(t.current(), { retireServiceWorker: true }).request("/sw.js");
    const source = await res.text();
    expect(source).toBe(retiringServiceWorkerSource());
    expect(source).toContain("self.registration.unregister()");
    expect(source).toContain("caches.delete");
  });

  it("the offline page is public and static: the same for everyone, no account and no amounts", async () => {
    const app = testApp(t.current());
    const anonymous = await (await app.request("/offline")).text();
    const { agent } = await signedInAgent(app, t.current());
    const signedIn = await agent.get("/offline");
    expect(signedIn.headers.get("cache-control")).toBe("no-cache");
    expect(await signedIn.text()).toBe(anonymous);
    expect(anonymous).toContain("You are offline");
    expect(anonymous).not.toMatch(/\$|_csrf|Sign out/);
  });

  it("the manifest names the app, its icons are served PNGs of the sizes it says", async () => {
    const app = testApp(t.current());
    const res = await app.request(assetPath("manifest.webmanifest"));
    expect(res.headers.get("content-type")).toBe("application/manifest+json");
    const manifest = (await res.json()) as {
      name: string;
      short_name: string;
      display: string;
      start_url: string;
      scope: string;
      theme_color: string;
      background_color: string;
      icons: { src: string; sizes: string; purpose: string }[];
    };
    expect(manifest).toMatchObject({
      name: "Expense Tracker",
      short_name: "Expenses",
      display: "standalone",
      start_url: "/",
      scope: "/",
      theme_color: "#1a6b6b",
      background_color: "#ffffff",
    });
    expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
      "192x192 any",
      "512x512 any",
      "512x512 maskable",
    ]);
    for (const icon of manifest.icons) {
      const png = await app.request(icon.src, { headers: { "accept-encoding": "gzip, br" } });
      expect(png.headers.get("content-type")).toBe("image/png");
      expect(png.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      // Already compressed: sent as it is.
      expect(png.headers.get("content-encoding")).toBeNull();
      const size = Number(icon.sizes.split("x")[0]);
      expect(pngSize(new Uint8Array(await png.arrayBuffer()))).toEqual({
        width: size,
        height: size,
      });
    }
  });

  it("the icon sprite is served compressed, like the other text assets", async () => {
    const res = await testApp(t.current()).request(assetPath("icons.svg"), {
      headers: { "accept-encoding": "br" },
    });
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("content-encoding")).toBe("br");
  });
});
