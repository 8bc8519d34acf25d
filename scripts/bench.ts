// `npm run bench [-- --rows N[,N...]]`: for each N, loads a throwaway PostgreSQL database with one user of N
// transactions (and four users of N/10) and times the data layer's listing and month-sum queries
// against the targets the indexes promise, and checks their plans read the index each needs.
// Then it builds the artifact, starts it on that database and times the dashboard and the list
// through HTTP, one client at a time. Exit code 1 when a target or a plan check fails, 2 on an error.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { type Db, openDatabase } from "../service/src/db/client.ts";
import { migrate } from "../service/src/db/migrate.ts";
import { type BenchCase, benchCases } from "./bench/cases.ts";
import {
  createBenchUsers,
  createThrowawayDatabase,
  loadTransactions,
  runExtraSql,
  setBenchBudgets,
  type ThrowawayDatabase,
  tolerateTerminatedConnections,
} from "./bench/database.ts";
import { measureEmbedded } from "./bench/embedded.ts";
import { measureHttp } from "./bench/http-phase.ts";
import { PeakRss, type Timing, time } from "./bench/measure.ts";
import { printPlans, printSetup, printTable } from "./bench/report.ts";

const USAGE = `usage: npm run bench -- [--rows N[,N...]] [--runs N] [--load-seconds N] [--repeats N]
                     [--gate all|errors] [--out DIR] [--keep] [--url URL] [--extra-sql FILE]
  --rows N,...      transactions of the heavy user, each a multiple of 10; one run per value
                    (default 10000,1000000)
  --runs N          timed runs per case, after 3 warm-ups (default 20)
  --load-seconds N  seconds of wrk per page, connections and target; 0 skips the load (default 10)
  --repeats N       interleaved repeats of the load; figures are their medians (default 3)
  --gate G          what fails the run: all targets, or only 5xx and plans (default all)
  --out DIR         where the load figures go, as bench-<rows>.json (default dist)
  --keep            keep the et_bench_<pid> database instead of dropping it
  --url URL         server to create it on (default postgres://postgres@127.0.0.1:5432/postgres)
  --extra-sql FILE  SQL to run after the load, before ANALYZE: to try a candidate index`;

type Options = ReturnType<typeof parseOptions>;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "10000,1000000" },
      runs: { type: "string", default: "20" },
      keep: { type: "boolean", default: false },
      url: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
      "extra-sql": { type: "string" },
      "load-seconds": { type: "string", default: "10" },
      repeats: { type: "string", default: "3" },
      gate: { type: "string", default: "all" },
      out: { type: "string", default: "dist" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const rowsList = values.rows.split(",").map((v) => Number(v.trim()));
  const runs = Number(values.runs);
  if (rowsList.some((rows) => !Number.isSafeInteger(rows) || rows < 1000 || rows % 10 !== 0)) {
    throw new Error(
      `--rows must be whole multiples of 10, at least 1000, separated by commas (got ${values.rows})`,
    );
  }
  if (!Number.isSafeInteger(runs) || runs < 5) {
    throw new Error(`--runs must be a whole number, at least 5 (got ${values.runs})`);
  }
  const loadSeconds = Number(values["load-seconds"]);
  const repeats = Number(values.repeats);
  if (!Number.isSafeInteger(loadSeconds) || loadSeconds < 0) {
    throw new Error(`--load-seconds must be a whole number (got ${values["load-seconds"]})`);
  }
  if (!Number.isSafeInteger(repeats) || repeats < 1) {
    throw new Error(`--repeats must be a whole number, at least 1 (got ${values.repeats})`);
  }
  if (values.gate !== "all" && values.gate !== "errors") {
    throw new Error(`--gate must be all or errors (got ${values.gate})`);
  }
  const gate: "all" | "errors" = values.gate;
  const file = values["extra-sql"];
  // Read before the load, so a wrong path fails in a second rather than after it.
  const extraSql = file ? { file, text: readFileSync(file, "utf8") } : undefined;
  return {
    rowsList,
    rows: rowsList[0] ?? 0,
    runs,
    loadSeconds,
    repeats,
    gate,
    out: values.out,
    keep: values.keep,
    adminUrl: values.url,
    extraSql,
  };
}

const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** Runs `work` and prints how long it took, under `label`. */
async function step<T>(label: string | ((r: T) => string), work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  const name = typeof label === "string" ? label : label(result);
  console.log(`${name.padEnd(40)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

async function prepare(db: Db, options: Options, name: string) {
  await step(`migrate (${name})`, () => migrate(db));
  const users = await step("create 5 users (scrypt hashes)", () =>
    createBenchUsers(db, options.rows),
  );
  await step(
    (n: number) => `load ${n.toLocaleString("en")} transactions`,
    () => loadTransactions(db, users),
  );
  const extra = options.extraSql;
  if (extra) await step(`run ${extra.file}`, () => runExtraSql(db, extra.text));
  // VACUUM as well: the state autovacuum soon reaches, with hint bits and visibility map set.
  await step("vacuum + analyze", async () => {
    await db.execute(sql`vacuum (analyze) transactions`);
    await db.execute(sql`analyze`);
  });
  const [heavy] = users;
  if (!heavy) throw new Error("no heavy user was created");
  await step("set budgets (heavy user)", () => setBenchBudgets(db, heavy));
  await printSetup(db);
  console.log(
    `heavy user id ${heavy.id}: ${heavy.rows.toLocaleString("en")} transactions; ` +
      `${users.length - 1} other users with ${(options.rows / 10).toLocaleString("en")} each\n`,
  );
  return heavy;
}

async function measure(cases: BenchCase[], runs: number): Promise<boolean> {
  const results: { c: BenchCase; t: Timing }[] = [];
  // A slow case gets fewer runs (at least 5) so the whole bench stays within a few minutes.
  const options = { warmups: 3, runs, budgetMs: 8_000 };
  await step("timed runs", async () => {
    for (const c of cases) results.push({ c, t: await time(c.run, options) });
  });
  console.log(`\nTimings (heavy user; ${runs} runs after 3 warm-ups, one case at a time):\n`);
  return printTable(results);
}

/** Set on Ctrl-C: the queries the drop cuts short then fail, and their errors are noise. */
let interrupted = false;

async function main(): Promise<number> {
  const options = parseOptions();
  const started = performance.now();
  const rss = new PeakRss();
  let throwaway: ThrowawayDatabase | undefined;
  const cleanUp = async () => {
    const d = throwaway;
    throwaway = undefined;
    if (!d) return;
    if (options.keep) console.log(`kept database ${d.url}`);
    else await d.drop();
  };
  // Ctrl-C must not leave a few hundred MB of database behind.
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`${signal}: dropping the bench database`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    let ok = true;
    for (const rows of options.rowsList) {
      console.log(`\n=== ${rows.toLocaleString("en")} transactions ===\n`);
      throwaway = await createThrowawayDatabase(options.adminUrl);
      ok = (await runOne(throwaway, { ...options, rows })) && ok;
      await cleanUp();
    }
    if (options.loadSeconds > 0) await reportEmbedded(options.loadSeconds);
    console.log(`\nrss at start ${mib(rss.start)}, peak ${mib(rss.stop())} (this Node process)`);
    console.log(`whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(ok ? "all targets met" : "SOME TARGETS FAILED");
    return ok ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

/** `npm start`'s embedded mode under 32 connections, for its memory. */
async function reportEmbedded(seconds: number): Promise<void> {
  console.log(`\n=== embedded mode (PGlite), 32 connections, ${seconds} s each ===\n`);
  const e = await measureEmbedded(seconds);
  for (const f of e.figures) {
    const r = f.result;
    console.log(
      `${f.name.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1)} ms  p99 ${r.p99Ms.toFixed(1)} ms  ${r.requests} answers`,
    );
  }
  const show = (b: number | undefined) => (b === undefined ? "?" : mib(b));
  console.log(
    `embedded server rss: ${show(e.startRss)} after start-up, ${show(e.loadPeakRss)} at most under load, ${show(e.endRss)} after`,
  );
}

/** One data set: load, plans and query timings, then the pages and the load through HTTP. */
async function runOne(throwaway: ThrowawayDatabase, options: Options): Promise<boolean> {
  const database = await openDatabase({ url: throwaway.url, maxConnections: 4 });
  tolerateTerminatedConnections(database.db);
  try {
    const heavy = await prepare(database.db, options, throwaway.name);
    const cases = benchCases(database.db, heavy);
    const missing = await printPlans(database.db, cases);
    const timed = await measure(cases, options.runs);
    const json = `${options.out}/bench-${options.rows}.json`;
    const http = await measureHttp(database.db, throwaway.url, heavy, { ...options, json });
    for (const line of missing) console.log(`FAIL plan: ${line}`);
    return (timed || options.gate === "errors") && missing.length === 0 && http;
  } finally {
    await database.close();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  if (!interrupted) console.error(err instanceof Error ? err.message : err);
  return 2;
});
