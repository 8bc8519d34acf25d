// The load phase of the bench: each page at 1, 32 and 128 connections against the service and
// its two ceilings (C: the page's main query alone; C+: every query the page runs), in repeats
// interleaved so that a slow moment of the machine falls on all three alike.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { createApp } from "../../service/src/app.tsx";
import { createApiToken } from "../../service/src/data/api-tokens.ts";
import { spendingByCategory } from "../../service/src/data/dashboard.ts";
import { listTransactions } from "../../service/src/data/transactions.ts";
import type { Db } from "../../service/src/db/client.ts";
import { transactions } from "../../service/src/db/schema.ts";
import { silentLogger } from "../../service/src/lib/logger.ts";
import { REPO_ROOT } from "../lib/build-service.ts";
import type { CeilingPage } from "./ceiling.ts";
import { ANCHOR_DATE, type SeededUser } from "./database.ts";
import { type Client, type RunningService, startNodeServer } from "./http.ts";
import { type LoadResult, load, type Request } from "./load.ts";
import { captureQueries } from "./measure.ts";

export type Target = "service" | "C" | "C+";

export interface LoadPage {
  name: string;
  request: Request;
  /** The data-layer call that sends the page's main query. */
  main?: () => Promise<unknown>;
}

export interface LoadFigure {
  page: string;
  connections: number;
  target: Target;
  /** One per repeat. */
  runs: LoadResult[];
}

const month = ANCHOR_DATE.slice(0, 7);

/** The pages under load, for the heavy user. */
export function loadPages(
  db: Db,
  heavy: SeededUser,
  origin: string,
  cookie: string,
  csrf: string,
  token: string,
): LoadPage[] {
  const get = (path: string): Request => ({ method: "GET", path, headers: { cookie } });
  const food = heavy.categories.get("Food") ?? 0;
  return [
    {
      name: "list",
      request: get("/transactions"),
      main: () => listTransactions(db, heavy.id, {}, 1),
    },
    {
      name: "list page 200",
      request: get("/transactions?page=200"),
      main: () => listTransactions(db, heavy.id, {}, 200),
    },
    {
      name: "list search",
      request: get("/transactions?q=coffee"),
      main: () => listTransactions(db, heavy.id, { q: "coffee" }, 1),
    },
    {
      name: "dashboard",
      request: get(`/?period=${month}`),
      main: () => spendingByCategory(db, heavy.id, `${month}-01`, ANCHOR_DATE),
    },
    {
      name: "API list",
      request: {
        method: "GET",
        path: "/api/v1/transactions",
        headers: { authorization: `Bearer ${token}` },
      },
      main: () => listTransactions(db, heavy.id, {}, 1),
    },
    {
      name: "POST create",
      request: {
        method: "POST",
        path: "/transactions",
        headers: {
          cookie,
          origin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({
          _csrf: csrf,
          kind: "expense",
          title: "Load test",
          amount: "1.25",
          categoryId: String(food),
          occurredOn: ANCHOR_DATE,
        }).toString(),
      },
    },
  ];
}

/** The queries the service sends for each GET page, captured from an app on the same database. */
async function ceilingPages(db: Db, pages: LoadPage[]): Promise<CeilingPage[]> {
  const app = createApp({
    db,
    logger: silentLogger,
    sessionSecret: "x".repeat(32),
    trustProxy: 0,
    localMode: false,
  });
  const out: CeilingPage[] = [];
  for (const p of pages) {
    if (!p.main || p.request.method !== "GET") continue;
    const all = await captureQueries(db, async () => {
      const res = await app.request(p.request.path, { headers: p.request.headers });
      if (res.status !== 200)
        throw new Error(`${p.request.path} answered ${res.status} in-process`);
      await res.text();
    });
    const [main] = await captureQueries(db, p.main);
    const index = all.findIndex(
      (q) => q.text === main?.text && JSON.stringify(q.params) === JSON.stringify(main?.params),
    );
    if (index < 1) throw new Error(`the main query of ${p.name} is not among the page's queries`);
    out.push({ path: p.request.path, all, main: index });
  }
  return out;
}

export interface LoadOptions {
  db: Db;
  databaseUrl: string;
  service: RunningService;
  client: Client;
  heavy: SeededUser;
  dir: string;
  seconds: number;
  repeats: number;
  connections: number[];
}

/** Runs the load phase; returns every figure, and the rows each POST create run wrote against its 303s. */
export async function measureLoad(o: LoadOptions) {
  const cookie = o.client.cookieHeader();
  const csrf = await o.client.csrfToken();
  const scope = { name: "bench", scope: "read" as const, expiresAt: null };
  const { token } = await createApiToken(o.db, o.heavy.id, scope, new Date());
  const pages = loadPages(o.db, o.heavy, o.service.origin, cookie, csrf, token);
  const pagesFile = join(o.dir, "ceiling-pages.json");
  writeFileSync(pagesFile, JSON.stringify(await ceilingPages(o.db, pages)));
  const ceilingScript = join(REPO_ROOT, "scripts/bench/ceiling.ts");
  const start = (mode: "C" | "C+") =>
    startNodeServer(
      ["--import", "tsx", ceilingScript, pagesFile],
      { DATABASE_URL: o.databaseUrl, CEILING: mode, HOME: process.env.HOME ?? "" },
      REPO_ROOT,
    );
  const ceilings = { C: await start("C"), "C+": await start("C+") };
  const figures: LoadFigure[] = [];
  const figure = (page: string, connections: number, target: Target) => {
    let f = figures.find(
      (x) => x.page === page && x.connections === connections && x.target === target,
    );
    if (!f) {
      f = { page, connections, target, runs: [] };
      figures.push(f);
    }
    return f;
  };
  const rowsOf = async () =>
    Number(
      (
        await o.db
          .select({ n: count() })
          .from(transactions)
          .where(eq(transactions.userId, o.heavy.id))
      )[0]?.n ?? 0,
    );
  // wrk stops counting at the deadline while each connection may still have a request in flight,
  // which the server then completes: a run may write up to `connections` more rows than 303s.
  const posts: { connections: number; created: number; redirected: number; other: number }[] = [];
  const load1 = loadavg()[0] ?? 0;
  try {
    for (let r = 0; r < o.repeats; r++) {
      for (const p of pages) {
        for (const c of o.connections) {
          const before = p.request.method === "POST" ? await rowsOf() : 0;
          const result = await load(o.service.origin, p.request, c, o.seconds, o.service.pid);
          figure(p.name, c, "service").runs.push(result);
          if (p.request.method === "POST") {
            const redirected = result.statuses["303"] ?? 0;
            const other = Object.values(result.statuses).reduce((n, k) => n + k, 0) - redirected;
            posts.push({ connections: c, created: (await rowsOf()) - before, redirected, other });
            continue;
          }
          for (const mode of ["C", "C+"] as const) {
            const ceiling = ceilings[mode];
            figure(p.name, c, mode).runs.push(
              await load(ceiling.origin, p.request, c, o.seconds, ceiling.pid),
            );
          }
        }
      }
    }
  } finally {
    await ceilings.C.stop();
    await ceilings["C+"].stop();
  }
  return { figures, posts, load: { before: load1, after: loadavg()[0] ?? 0 } };
}
