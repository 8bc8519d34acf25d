// The bench's HTTP phase: the built artifact on the bench database, signed in as the heavy user;
// first each page with one client (the dashboard and list targets), then the load with wrk
// against the service and its ceilings.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "../../service/src/db/client.ts";
import { ANCHOR_DATE, BENCH_PASSWORD, type SeededUser } from "./database.ts";
import { Client, type PageCase, startService, timePages } from "./http.ts";
import { checkTargets, printLoadTable, summarise, writeJson } from "./load-report.ts";
import { measureLoad } from "./load-run.ts";
import { printPageTable } from "./report.ts";

/** The pages the dashboard's targets name: the dashboard for a month and a year, and the list. */
const PAGE_TARGET_MS = 50;
const YEAR = Number(ANCHOR_DATE.slice(0, 4)) - 1;
const PAGES: PageCase[] = [
  {
    name: "dashboard, month",
    path: `/?period=${ANCHOR_DATE.slice(0, 7)}`,
    targetMs: PAGE_TARGET_MS,
  },
  { name: "dashboard, year", path: `/?period=${YEAR}`, targetMs: PAGE_TARGET_MS },
  { name: "list with totals", path: "/transactions", targetMs: PAGE_TARGET_MS },
  {
    name: "list of a month with totals",
    path: `/transactions?from=${ANCHOR_DATE.slice(0, 8)}01&to=${ANCHOR_DATE}`,
    targetMs: PAGE_TARGET_MS,
  },
];

/** The dashboard again with months that start on the 25th, then back to the 1st. */
function pagesWithStartDay(db: Db, heavy: SeededUser): PageCase[] {
  const startOn = (day: number) => async () => {
    await db.execute(sql`update users set month_start_day = ${day} where id = ${heavy.id}`);
  };
  const [month, year, list] = PAGES as [PageCase, PageCase, PageCase];
  return [
    { ...month, name: "dashboard, month, start day 25", before: startOn(25), targetMs: undefined },
    { ...year, name: "dashboard, year, start day 25", targetMs: undefined },
    { ...list, name: "list with totals, start day 1 again", before: startOn(1) },
  ];
}

export interface HttpOptions {
  rows: number;
  runs: number;
  loadSeconds: number;
  repeats: number;
  gate: "all" | "errors";
  json: string;
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Returns whether every gated check passed: 5xx and POST counts always, timings with gate "all". */
export async function measureHttp(
  db: Db,
  databaseUrl: string,
  heavy: SeededUser,
  o: HttpOptions,
): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), "et-bench-"));
  const service = await startService(databaseUrl, dir);
  try {
    const client = new Client(service.origin);
    await client.signIn(heavy.email, BENCH_PASSWORD);
    const results = await timePages(client, [...PAGES, ...pagesWithStartDay(db, heavy)], o.runs);
    console.log(
      `\nPages through HTTP (one client, sequential; ${o.runs} runs after 3 warm-ups):\n`,
    );
    const pagesOk = printPageTable(results);
    const afterPages = service.peakRss();
    if (afterPages) console.log(`server peak rss ${mib(afterPages)}`);
    const timingsGate = o.gate === "all";
    if (o.loadSeconds === 0) return pagesOk || !timingsGate;

    const connections = [1, 32, 128];
    console.log(
      `\nLoad (wrk; ${o.loadSeconds} s per page, connections and target; ${o.repeats} interleaved repeats, medians):\n`,
    );
    const run = await measureLoad({
      db,
      databaseUrl,
      service,
      client,
      heavy,
      dir,
      seconds: o.loadSeconds,
      repeats: o.repeats,
      connections,
    });
    const rows = summarise(run.figures);
    printLoadTable(rows);
    console.log(
      `\nload average ${run.load.before.toFixed(2)} before, ${run.load.after.toFixed(2)} after`,
    );
    const targets = checkTargets(rows, o.rows);
    let posted = true;
    for (const p of run.posts) {
      const pass =
        p.other === 0 && p.created >= p.redirected && p.created <= p.redirected + p.connections;
      posted &&= pass;
      console.log(
        `${pass ? "PASS" : "FAIL"} POST create at ${p.connections}: ${p.redirected} answered 303, ${p.other} otherwise, ${p.created} rows written (at most ${p.connections} in flight at the end)`,
      );
    }
    for (const t of targets) console.log(`${t.pass ? "PASS" : "FAIL"} ${t.line}`);
    mkdirSync(dirname(o.json), { recursive: true });
    writeJson(o.json, {
      rows: o.rows,
      seconds: o.loadSeconds,
      repeats: o.repeats,
      figures: rows,
      targets,
      load: run.load,
    });
    console.log(`figures written to ${o.json}`);
    const no5xx = rows.every((r) => r.errors5xx === 0);
    if (!no5xx) console.log("FAIL: some answers were 5xx");
    const timingsOk = pagesOk && targets.every((t) => t.pass);
    return posted && no5xx && (timingsOk || !timingsGate);
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
