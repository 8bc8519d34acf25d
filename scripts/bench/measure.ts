// Timing, memory and query-plan helpers for the benchmark.
import type { Pool } from "pg";
import type { Db } from "../../service/src/db/client.ts";

export interface Timing {
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** What the last run returned (rows, or the count of a total), shown as a sanity check. */
  result: number;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export interface TimingOptions {
  warmups: number;
  runs: number;
  /** A case whose warm-up is slow gets fewer runs (at least 5) to stay near this budget. */
  budgetMs: number;
}

/** Runs `work` `warmups` times untimed, then `runs` times timed one after another. */
export async function time(work: () => Promise<number>, o: TimingOptions): Promise<Timing> {
  let warmupMs = 0;
  for (let i = 0; i < o.warmups; i++) {
    const t0 = performance.now();
    await work();
    warmupMs = performance.now() - t0;
  }
  const runs = Math.max(5, Math.min(o.runs, Math.floor(o.budgetMs / Math.max(warmupMs, 1))));
  const samples: number[] = [];
  let result = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await work();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return {
    runs,
    medianMs: percentile(samples, 0.5),
    p95Ms: percentile(samples, 0.95),
    maxMs: samples.at(-1) ?? Number.NaN,
    result,
  };
}

/** Samples the process's resident set size; `peak` is the largest value seen. */
export class PeakRss {
  readonly start = process.memoryUsage.rss();
  peak = this.start;
  readonly #timer = setInterval(() => this.sample(), 25);

  constructor() {
    this.#timer.unref();
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    return this.peak;
  }
}

export interface CapturedQuery {
  text: string;
  params: unknown[];
  /** The prepared statement's name, when the service runs it as one. */
  name?: string;
}

/** The node-postgres pool under a Drizzle database opened by openDatabase({ url }). */
const poolOf = (db: Db) => (db as unknown as { $client: Pool }).$client;

/**
 * Runs `work` and returns the SQL and parameters Drizzle sent to the pool meanwhile, so the plans
 * shown are those of the real data-layer functions, not of a copy of their queries.
 */
export async function captureQueries(
  db: Db,
  work: () => Promise<unknown>,
): Promise<CapturedQuery[]> {
  const pool = poolOf(db);
  const original = pool.query;
  const captured: CapturedQuery[] = [];
  pool.query = ((config: unknown, params: unknown) => {
    const { text, name } =
      typeof config === "string" ? { text: config, name: undefined } : (config as CapturedQuery);
    captured.push({ text, params: Array.isArray(params) ? params : [], ...(name ? { name } : {}) });
    return (original as (...a: unknown[]) => unknown).call(pool, config, params);
  }) as typeof pool.query;
  try {
    await work();
  } finally {
    pool.query = original;
  }
  return captured;
}

export interface PlanSummary {
  /** The plan's nodes, index conditions, discarded rows and execution time, costs left out. */
  lines: string[];
  /** Names of the indexes the plan reads. */
  indexes: string[];
  seqScanOnTransactions: boolean;
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured query, trimmed to what shows the access path. */
export async function explain(db: Db, q: CapturedQuery): Promise<PlanSummary> {
  const result = await poolOf(db).query<{ "QUERY PLAN": string }>(
    `explain (analyze, buffers) ${q.text}`,
    q.params,
  );
  const plan = result.rows.map((r) => r["QUERY PLAN"]);
  const tidy = (line: string) =>
    line
      .replace(/\s*\(cost=[^)]*\)/, "")
      .replace(/->\s+/, "-> ")
      .trimEnd();
  const keep = plan.filter(
    (line, i) =>
      i === 0 ||
      /->|Sort Method|Workers Launched|Index Cond|Rows Removed by Filter/.test(line) ||
      (i === 1 && line.includes("Buffers")) ||
      line.startsWith("Execution Time"),
  );
  return {
    lines: keep.map(tidy),
    indexes: [
      ...new Set(
        plan.flatMap(
          (l) => /Index (?:Only )?Scan (?:Backward )?(?:using|on) (\S+)/.exec(l)?.[1] ?? [],
        ),
      ),
    ],
    seqScanOnTransactions: plan.some((l) => /Seq Scan on transactions\b/.test(l)),
  };
}
