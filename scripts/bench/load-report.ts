// The load phase's table, its targets and its JSON file.
import { writeFileSync } from "node:fs";
import { type LoadResult, serverErrors } from "./load.ts";
import type { LoadFigure, Target } from "./load-run.ts";
import { printRows } from "./report.ts";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? Number.NaN;
};
const mib = (b: number | undefined) => (b === undefined ? "-" : `${Math.round(b / 2 ** 20)}`);
const f1 = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(0)) : "-");

export interface Row {
  page: string;
  connections: number;
  target: Target;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors5xx: number;
  socketErrors: number;
  peakRssMiB: number | undefined;
  /** requests/s over C's and C+'s, for the service's rows. */
  vsC?: number;
  vsCPlus?: number;
}

/** Medians of the repeats, one row per page, connections and target. */
export function summarise(figures: LoadFigure[]): Row[] {
  const rows = figures.map((f): Row => {
    const of = (k: keyof LoadResult) => median(f.runs.map((r) => Number(r[k] ?? Number.NaN)));
    const peak = Math.max(...f.runs.map((r) => r.peakRssBytes ?? 0));
    return {
      page: f.page,
      connections: f.connections,
      target: f.target,
      rps: of("rps"),
      p50Ms: of("p50Ms"),
      p99Ms: of("p99Ms"),
      errors5xx: f.runs.reduce((n, r) => n + serverErrors(r), 0),
      socketErrors: f.runs.reduce((n, r) => n + r.socketErrors, 0),
      peakRssMiB: peak > 0 ? Math.round(peak / 2 ** 20) : undefined,
    };
  });
  for (const r of rows.filter((x) => x.target === "service")) {
    const ceiling = (t: Target) =>
      rows.find((x) => x.page === r.page && x.connections === r.connections && x.target === t);
    const c = ceiling("C");
    const cPlus = ceiling("C+");
    if (c) r.vsC = r.rps / c.rps;
    if (cPlus) r.vsCPlus = r.rps / cPlus.rps;
  }
  return rows;
}

export function printLoadTable(rows: Row[]): void {
  const head = [
    "page",
    "conns",
    "target",
    "req/s",
    "p50 ms",
    "p99 ms",
    "5xx",
    "sock err",
    "peak RSS MiB",
    "÷C",
    "÷C+",
  ];
  const cells = rows.map((r) => [
    r.page,
    String(r.connections),
    r.target,
    f1(r.rps),
    f1(r.p50Ms),
    f1(r.p99Ms),
    String(r.errors5xx),
    String(r.socketErrors),
    mib(r.peakRssMiB === undefined ? undefined : r.peakRssMiB * 2 ** 20),
    r.vsC === undefined ? "" : r.vsC.toFixed(2),
    r.vsCPlus === undefined ? "" : r.vsCPlus.toFixed(2),
  ]);
  printRows(head, cells, [0, 2]);
}

/** The targets, each as a line with PASS or FAIL. */
export function checkTargets(rows: Row[], rowsInDb: number): { line: string; pass: boolean }[] {
  const out: { line: string; pass: boolean }[] = [];
  const service = rows.filter((r) => r.target === "service");
  for (const r of service.filter(
    (x) => x.connections === 32 && /^(list|dashboard)$/.test(x.page),
  )) {
    const pass = (r.vsCPlus ?? 0) >= 0.5 && (r.vsC ?? 0) >= 0.25;
    out.push({
      line: `${r.page} at 32 connections: ${r.vsCPlus?.toFixed(2)}x C+ (>= 0.5), ${r.vsC?.toFixed(2)}x C (>= 0.25)`,
      pass,
    });
    const c = rows.find((x) => x.page === r.page && x.connections === 32 && x.target === "C");
    if (c && rowsInDb <= 100_000) {
      out.push({
        line: `${r.page} p99 at 32 connections: ${f1(r.p99Ms)} ms, C's ${f1(c.p99Ms)} ms (at most 3x)`,
        pass: r.p99Ms <= 3 * c.p99Ms,
      });
    }
  }
  const errors = service.filter((r) => r.connections === 128).reduce((n, r) => n + r.errors5xx, 0);
  out.push({ line: `5xx at 128 connections: ${errors}`, pass: errors === 0 });
  const peak = Math.max(...service.map((r) => r.peakRssMiB ?? 0));
  const ceilingPeak = Math.max(
    ...rows.filter((r) => r.target !== "service").map((r) => r.peakRssMiB ?? 0),
  );
  out.push({
    line: `service peak RSS ${peak} MiB; ceilings' ${ceilingPeak} MiB (at most 1.25x, and under 300 MiB)`,
    pass: peak <= 1.25 * ceilingPeak && peak < 300,
  });
  return out;
}

export function writeJson(file: string, data: unknown): void {
  writeFileSync(
    file,
    `${JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? String(v) : v), 2)}\n`,
  );
}
