// Income and expenses per month as grouped bars, with net as a line; the axis runs through zero
// so a negative net reads as below it.
import { niceTicks } from "./axis.ts";
import {
  CHAR_WIDTH,
  el,
  emptyState,
  type FormatMoney,
  frame,
  num,
  ratio,
  textEl,
  tooltip,
  truncate,
} from "./svg.ts";

export interface MonthTotals {
  /** Shown under the month's bars, e.g. "Mar" or "Mar 2026". */
  label: string;
  incomeCents: bigint;
  expenseCents: bigint;
}

export interface TrendChartOptions {
  /** Element id prefix, unique on the page. Default `"trend"`. */
  id?: string;
  /** Accessible name of the chart. Default `"Income and expenses per month"`. */
  title?: string;
  formatMoney: FormatMoney;
  /** Axis tick labels, e.g. compact "$1.2K". Default: `formatMoney`. */
  formatTick?: FormatMoney;
  /** Width of the viewBox. Default 640. */
  width?: number;
  /** Height of the viewBox. Default 280. */
  height?: number;
  /** Shown when every month is zero. Default `"No income or expenses in these months"`. */
  emptyMessage?: string;
}

export interface TrendRow {
  label: string;
  incomeCents: bigint;
  expenseCents: bigint;
  netCents: bigint;
  income: string;
  expenses: string;
  net: string;
}

export interface TrendChart {
  svg: string;
  table: { rows: TrendRow[] };
}

const MARGIN = { left: 72, right: 8, top: 28, bottom: 24 };

/** Renders the trend for the months given, in order. */
export function renderTrendChart(months: MonthTotals[], options: TrendChartOptions): TrendChart {
  const o = {
    id: "trend",
    title: "Income and expenses per month",
    width: 640,
    height: 280,
    emptyMessage: "No income or expenses in these months",
    ...options,
  };
  const fmt = o.formatMoney;
  const tick = o.formatTick ?? fmt;
  const rows: TrendRow[] = months.map((m) => {
    const net = m.incomeCents - m.expenseCents;
    return {
      ...m,
      netCents: net,
      income: fmt(m.incomeCents),
      expenses: fmt(m.expenseCents),
      net: fmt(net),
    };
  });
  const base = { id: o.id, title: o.title, width: o.width, className: "et-chart-trend" };
  if (rows.every((r) => r.incomeCents === 0n && r.expenseCents === 0n)) {
    return { svg: emptyState(base, o.emptyMessage), table: { rows } };
  }

  const values = rows.flatMap((r) => [r.incomeCents, r.expenseCents, r.netCents]);
  const ticks = niceTicks(min(values), max(values));
  const lo = ticks[0] as bigint;
  const hi = ticks[ticks.length - 1] as bigint;
  const plotW = o.width - MARGIN.left - MARGIN.right;
  const plotH = o.height - MARGIN.top - MARGIN.bottom;
  const y = (v: bigint) => MARGIN.top + ratio(hi - v, hi - lo) * plotH;
  const band = plotW / rows.length;
  const barW = band * 0.34;

  const grid = ticks.map((t) =>
    el(
      "g",
      {},
      el("line", {
        class: t === 0n ? "et-axis" : "et-grid",
        x1: MARGIN.left,
        x2: o.width - MARGIN.right,
        y1: y(t),
        y2: y(t),
      }),
      textEl(tick(t), { class: "et-tick", x: MARGIN.left - 6, y: y(t) + 4, "text-anchor": "end" }),
    ),
  );
  const bar = (v: bigint, x: number, cls: string, label: string) => {
    const top = y(v > 0n ? v : 0n);
    const bottom = y(v < 0n ? v : 0n);
    return el(
      "rect",
      { class: `et-bar ${cls}`, x, y: top, width: barW, height: bottom - top },
      tooltip(label),
    );
  };
  const labelChars = Math.max(1, Math.floor(band / CHAR_WIDTH));
  const groups = rows.map((r, i) => {
    const x = MARGIN.left + i * band;
    return el(
      "g",
      { class: "et-month" },
      bar(r.incomeCents, x + band * 0.14, "et-income", `${r.label} income: ${r.income}`),
      bar(
        r.expenseCents,
        x + band * 0.14 + barW,
        "et-expense",
        `${r.label} expenses: ${r.expenses}`,
      ),
      textEl(truncate(r.label, labelChars), {
        class: "et-tick",
        x: x + band / 2,
        y: o.height - 6,
        "text-anchor": "middle",
      }),
    );
  });
  const points = rows.map((r, i) => ({ x: MARGIN.left + (i + 0.5) * band, y: y(r.netCents), r }));
  const line = el("polyline", {
    class: "et-net-line",
    fill: "none",
    points: points.map((p) => `${num(p.x)},${num(p.y)}`).join(" "),
  });
  const dots = points.map((p) =>
    el(
      "circle",
      { class: "et-net", cx: p.x, cy: p.y, r: 3.5 },
      tooltip(`${p.r.label} net: ${p.r.net}`),
    ),
  );
  const desc = `${o.title}: ${rows.map((r) => `${r.label} income ${r.income}, expenses ${r.expenses}, net ${r.net}`).join("; ")}.`;
  const body = [legend(), ...grid, ...groups, line, ...dots].join("");
  return { svg: frame({ ...base, desc, height: o.height }, body), table: { rows } };
}

function legend(): string {
  const item = (x: number, swatch: string, label: string) =>
    el("g", {}, swatch, textEl(label, { class: "et-label", x: x + 16, y: 14 }));
  return el(
    "g",
    { class: "et-legend", "aria-hidden": "true" },
    item(
      MARGIN.left,
      el("rect", { class: "et-income", x: MARGIN.left, y: 4, width: 12, height: 12 }),
      "Income",
    ),
    item(
      MARGIN.left + 90,
      el("rect", { class: "et-expense", x: MARGIN.left + 90, y: 4, width: 12, height: 12 }),
      "Expenses",
    ),
    item(
      MARGIN.left + 190,
      el("line", {
        class: "et-net-line",
        x1: MARGIN.left + 190,
        x2: MARGIN.left + 202,
        y1: 10,
        y2: 10,
      }),
      "Net",
    ),
  );
}

function min(values: bigint[]): bigint {
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
  return values.reduce((a, b) => (b < a ? b : a), 0n);
}

function max(values: bigint[]): bigint {
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigint
  return values.reduce((a, b) => (b > a ? b : a), 0n);
}
