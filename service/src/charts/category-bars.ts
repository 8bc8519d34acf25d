// Spending by category for a period: one horizontal bar per category, scaled to the largest.
import {
  CHAR_WIDTH,
  categoryClass,
  el,
  emptyState,
  type FormatMoney,
  frame,
  percent,
  ratio,
  textEl,
  tooltip,
  truncate,
} from "./svg.ts";

export interface CategoryAmount {
  name: string;
  /** Spent in the period, in cents; never negative. */
  cents: bigint;
  /** Palette index (`et-cat-N`); default: the category's position in the input. */
  colour?: number;
  /** Passed through to the table row, e.g. the category id for a link. */
  key?: string;
}

export interface CategoryChartOptions {
  /** Element id prefix, unique on the page. Default `"spending"`. */
  id?: string;
  /** Accessible name of the chart. Default `"Spending by category"`. */
  title?: string;
  formatMoney: FormatMoney;
  /** Width of the viewBox. Default 640. */
  width?: number;
  /** Height of each row. Default 28. */
  rowHeight?: number;
  /** Longest category name shown before an ellipsis (the full name is in a <title>). Default 20. */
  labelChars?: number;
  /** Shown when nothing was spent. Default `"No spending in this period"`. */
  emptyMessage?: string;
}

export interface CategoryRow {
  key: string | undefined;
  name: string;
  cents: bigint;
  amount: string;
  /** Share of the total, "12.3%". */
  share: string;
}

export interface CategoryChart {
  svg: string;
  /** Rows for the table beside the chart, largest first. */
  table: { rows: CategoryRow[]; totalCents: bigint; total: string };
}

const VALUE_WIDTH = 170;

/** Renders spending by category, largest first (ties keep input order). */
export function renderCategoryChart(
  categories: CategoryAmount[],
  options: CategoryChartOptions,
): CategoryChart {
  const o = {
    id: "spending",
    title: "Spending by category",
    width: 640,
    rowHeight: 28,
    labelChars: 20,
    emptyMessage: "No spending in this period",
    ...options,
  };
  const items = categories.map((c, i) => {
    if (c.cents < 0n) throw new RangeError(`spending for ${c.name} is negative`);
    return { ...c, colour: c.colour ?? i };
  });
  items.sort((a, b) => (a.cents === b.cents ? 0 : a.cents > b.cents ? -1 : 1));
  const total = items.reduce((sum, c) => sum + c.cents, 0n);
  const rows: CategoryRow[] = items.map((c) => ({
    key: c.key,
    name: c.name,
    cents: c.cents,
    amount: o.formatMoney(c.cents),
    share: percent(c.cents, total),
  }));
  const table = { rows, totalCents: total, total: o.formatMoney(total) };
  const base = { id: o.id, title: o.title, width: o.width, className: "et-chart-categories" };
  if (total === 0n) return { svg: emptyState(base, o.emptyMessage), table };

  const max = items[0]?.cents ?? 0n;
  const labelWidth = o.labelChars * CHAR_WIDTH + 8;
  const barArea = Math.max(40, o.width - labelWidth - VALUE_WIDTH);
  const barHeight = Math.round(o.rowHeight * 0.6);
  const body = items.map((c, i) => {
    const row = rows[i] as CategoryRow;
    const y = i * o.rowHeight;
    const w = ratio(c.cents, max) * barArea;
    const value = `${row.amount} · ${row.share}`;
    return el(
      "g",
      { class: "et-row" },
      tooltip(`${c.name}: ${value}`),
      textEl(truncate(c.name, o.labelChars), { class: "et-label", x: 0, y: y + barHeight - 2 }),
      el("rect", {
        class: `et-bar ${categoryClass(c.colour)}`,
        x: labelWidth,
        y,
        width: w,
        height: barHeight,
      }),
      textEl(value, { class: "et-value", x: labelWidth + w + 6, y: y + barHeight - 2 }),
    );
  });
  const desc = `${o.title}, total ${table.total}: ${rows.map((r) => `${r.name} ${r.amount} (${r.share})`).join("; ")}.`;
  const height = items.length * o.rowHeight;
  return { svg: frame({ ...base, desc, height }, body.join("")), table };
}
