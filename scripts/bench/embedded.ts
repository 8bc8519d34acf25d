// Embedded mode under load: `npm start`'s server (PGlite in DATA_DIR, no PostgreSQL), its first
// account made through /setup, a few seconds of POST create to give it rows, then the list and
// the dashboard. Reported for its memory, which PGlite's WebAssembly heap dominates.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../lib/build-service.ts";
import { Client, startNodeServer } from "./http.ts";
import { type LoadResult, load, serverErrors } from "./load.ts";

export interface EmbeddedFigure {
  name: string;
  result: LoadResult;
}

export async function measureEmbedded(seconds: number): Promise<{
  figures: EmbeddedFigure[];
  /** After start-up (PGlite's first start creates its cluster, the peak of the whole run). */
  startRss: number | undefined;
  /** After the load, and the highest seen during it. */
  endRss: number | undefined;
  loadPeakRss: number | undefined;
}> {
  const dir = mkdtempSync(join(tmpdir(), "et-bench-embedded-"));
  const service = await startNodeServer(
    ["--import", "tsx", "service/src/server.ts"],
    { DATA_DIR: dir, LOG_LEVEL: "warn", HOME: process.env.HOME ?? "" },
    REPO_ROOT,
  );
  try {
    const startRss = service.rss();
    const client = new Client(service.origin);
    const form = await (await client.request("/setup")).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
    const made = await client.request("/setup", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: csrf,
        email: "bench@example.test",
        password: "bench-password-1",
      }),
    });
    await made.arrayBuffer();
    if (made.status !== 303) throw new Error(`/setup answered ${made.status}`);
    const cookie = client.cookieHeader();
    const token = await client.csrfToken();
    const page = await (await client.request("/transactions/new")).text();
    const category = /<option value="(\d+)"[^>]*selected/.exec(page)?.[1] ?? "";
    const figures: EmbeddedFigure[] = [];
    const post = {
      method: "POST" as const,
      path: "/transactions",
      headers: {
        cookie,
        origin: service.origin,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({
        _csrf: token,
        kind: "expense",
        title: "Load test",
        amount: "1.25",
        categoryId: category,
        occurredOn: "2026-01-15",
      }).toString(),
    };
    figures.push({
      name: "POST create",
      result: await load(service.origin, post, 32, seconds, service.pid),
    });
    for (const [name, path] of [
      ["list", "/transactions"],
      ["dashboard", "/?period=2026-01"],
    ] as const) {
      const get = { method: "GET" as const, path, headers: { cookie } };
      figures.push({ name, result: await load(service.origin, get, 32, seconds, service.pid) });
    }
    for (const f of figures) {
      if (serverErrors(f.result) > 0) throw new Error(`embedded ${f.name}: 5xx answers`);
    }
    const loadPeakRss = Math.max(...figures.map((f) => f.result.peakRssBytes ?? 0));
    return { figures, startRss, endRss: service.rss(), loadPeakRss };
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
