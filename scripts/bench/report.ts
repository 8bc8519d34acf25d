// What the benchmark prints: the setup, the query plans and the table of timings.
import { sql } from "drizzle-orm";
import type { Db } from "../../service/src/db/client.ts";
import type { BenchCase } from "./cases.ts";
import type { PageResult } from "./http.ts";
import { captureQueries, explain, type Timing } from "./measure.ts";

const fmtMs = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

/** Server settings and relation sizes that explain the numbers, with the index's definition. */
export async function printSetup(db: Db): Promise<void> {
  const result = (await db.execute(sql`select
      current_setting('server_version') as version,
      current_setting('shared_buffers') as buffers,
      current_setting('work_mem') as work_mem,
      pg_size_pretty(pg_table_size('transactions')) as heap,
      coalesce(pg_get_indexdef(to_regclass('transactions_user_date_idx')), 'missing') as def,
      pg_size_pretty(pg_relation_size(to_regclass('transactions_user_date_idx'))) as idx,
      pg_size_pretty(pg_total_relation_size('month_totals')) as totals,
      (select count(*) from month_totals)::text as total_rows`)) as unknown as {
    rows: Record<string, string>[];
  };
  const s = result.rows[0] ?? {};
  console.log(`PostgreSQL ${s.version}, shared_buffers ${s.buffers}, work_mem ${s.work_mem}`);
  console.log(`transactions ${s.heap}; transactions_user_date_idx ${s.idx}:`);
  console.log(`  ${s.def}`);
  console.log(`month_totals ${s.totals} with its key, ${s.total_rows} rows`);
}

/**
 * Prints EXPLAIN (ANALYZE, BUFFERS) of every query the cases marked `explain` send, trimmed.
 * Returns a line for each case marked `needsIndex` whose plan does not read that index.
 */
export async function printPlans(db: Db, cases: BenchCase[]): Promise<string[]> {
  console.log("Query plans (EXPLAIN ANALYZE, BUFFERS; heavy user):");
  const missing: string[] = [];
  for (const c of cases.filter((x) => x.explain || x.needsIndex)) {
    for (const q of await captureQueries(db, c.run)) {
      const plan = await explain(db, q);
      const fails = c.needsIndex !== undefined && !plan.indexes.includes(c.needsIndex);
      if (fails) missing.push(`"${c.name}" does not read ${c.needsIndex}`);
      const verdict = plan.seqScanOnTransactions
        ? "SEQ SCAN on transactions"
        : plan.indexes.length > 0
          ? `uses ${plan.indexes.join(", ")}`
          : "uses no index";
      if (!c.explain && !fails) continue;
      console.log(`\n  ${c.name}: ${verdict}${fails ? " (FAIL)" : ""}`);
      for (const line of plan.lines) console.log(`    ${line}`);
    }
  }
  console.log();
  return missing;
}

/** Prints one row per case; returns false when a case misses its target. */
export function printTable(results: { c: BenchCase; t: Timing }[]): boolean {
  const head = ["case", "result", "runs", "median ms", "p95 ms", "max ms", "target p95", "verdict"];
  const rows = results.map(({ c, t }) => {
    const pass = c.targetMs === undefined ? undefined : t.p95Ms < c.targetMs;
    return [
      c.name,
      String(t.result),
      String(t.runs),
      fmtMs(t.medianMs),
      fmtMs(t.p95Ms),
      fmtMs(t.maxMs),
      c.targetMs === undefined ? "-" : `< ${c.targetMs}`,
      pass === undefined ? "info" : pass ? "PASS" : "FAIL",
    ];
  });
  printRows(head, rows);
  console.log(
    "\n'info' rows have no target. List totals over whole months read month_totals (a few rows\n" +
      "per month); other sums read every row they add up (a year is about a tenth of the heavy\n" +
      "user's rows), so no index makes them constant-time; searches go through the trigram indexes.",
  );
  return rows.every((r) => r.at(-1) !== "FAIL");
}

/** Prints one row per page; returns false when a page misses its median target. */
export function printPageTable(results: PageResult[]): boolean {
  const head = [
    "page",
    "bytes",
    "runs",
    "median ms",
    "p95 ms",
    "max ms",
    "target median",
    "verdict",
  ];
  const rows = results.map(({ c, t }) => [
    `GET ${c.path} (${c.name})`,
    String(t.result),
    String(t.runs),
    fmtMs(t.medianMs),
    fmtMs(t.p95Ms),
    fmtMs(t.maxMs),
    c.targetMs === undefined ? "-" : `< ${c.targetMs}`,
    c.targetMs === undefined ? "info" : t.medianMs < c.targetMs ? "PASS" : "FAIL",
  ]);
  printRows(head, rows);
  return rows.every((r) => r.at(-1) !== "FAIL");
}

/** A plain-text table: columns padded to their widest cell, text columns to the left. */
export function printRows(head: string[], rows: string[][], leftColumns: number[] = [0]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        leftColumns.includes(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join("  ");
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}
