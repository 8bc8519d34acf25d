import { beforeAll, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

describeEachDatabase("pages and headers", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current(), { now: () => new Date("2026-03-15T12:00:00Z") });
  });

  it("every page carries a CSP that allows no inline script and no third-party source", async () => {
    const res = await app.request("/signin");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("pages reference only same-origin assets, and those are served with a year-long immutable cache", async () => {
    const html = await (await app.request("/signin")).text();
    const refs = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(refs.filter((r) => /^(https?:)?\/\//.test(r))).toEqual([]);
    expect(html).not.toMatch(/<script>(?!<\/script>)|<script [^>]*>[^<]+<\/script>|\son\w+="/);
    // The icon sprite is referenced once per icon, with the icon's name after the #.
    const assets = [
      ...new Set(refs.filter((r) => r.startsWith("/assets/")).map((r) => r.replace(/#.*$/, ""))),
    ];
    expect(assets).toHaveLength(9);
    for (const path of assets) {
      expect(path).toMatch(
        /^\/assets\/(bootstrap\.[0-9a-f]{12}\.(min\.css|bundle\.min\.js)|(app|brand)\.[0-9a-f]{12}\.css|app\.[0-9a-f]{12}\.js|(mark|icons)\.[0-9a-f]{12}\.svg|icon-192\.[0-9a-f]{12}\.png|manifest\.[0-9a-f]{12}\.webmanifest)$/,
      );
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(200);
    }
    expect((await app.request("/assets/bootstrap.000000000000.min.css")).status).toBe(303);
  });

  it("/summary and old bookmarks of the list at / lead to their new places", async () => {
    const { agent } = await signedInAgent(app, t.current(), { timeZone: "Pacific/Kiritimati" });
    const summary = await agent.get("/summary");
    expect(summary.status).toBe(302);
    expect(summary.headers.get("location")).toMatch(/^\/\?period=\d{4}$/);
    const list = await agent.get("/?q=rent&page=2");
    expect(list.status).toBe(302);
    expect(list.headers.get("location")).toBe("/transactions?q=rent&page=2");
  });

  it("the error page for a server fault says nothing about the code", async () => {
    const broken = testApp(t.current());
    broken.get("/boom", () => {
      throw new Error("secret internal detail");
    });
    const { agent } = await signedInAgent(broken, t.current());
    const res = await agent.get("/boom");
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain("Something went wrong");
    expect(html).not.toContain("secret internal detail");
    expect(html).not.toMatch(/\.ts:\d+/);
  });

  it("logs one JSON line per request, and one per error with the same request id", async () => {
    const lines: string[] = [];
    const logged = testApp(t.current(), { logger: createLogger("info", (l) => lines.push(l)) });
    logged.get("/broken", () => {
      throw new Error("kaput");
    });
    const { agent } = await signedInAgent(logged, t.current());
    lines.length = 0;
    const ok = await logged.request("/healthz");
    const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries()).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "request",
        method: "GET",
        path: "/healthz",
        status: 200,
        requestId: ok.headers.get("x-request-id"),
        durationMs: expect.any(Number),
      }),
    ]);
    lines.length = 0;
    const failed = await agent.get("/broken");
    const [error, request] = entries();
    const requestId = failed.headers.get("x-request-id");
    expect(error).toMatchObject({
      level: "error",
      msg: "unhandled error",
      error: "kaput",
      requestId,
    });
    expect(request).toMatchObject({ msg: "request", status: 500, requestId });
    expect(lines.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
  });
});
