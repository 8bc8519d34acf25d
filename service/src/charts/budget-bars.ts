// Budget progress per category: spent as a share of the budget, with the amount left or over.
// Over budget is told by words and an icon as well as colour, so it reads without colour.
import {
  CHAR_WIDTH,
  el,
  emptyState,
  type FormatMoney,
  frame,
  ratio,
  textEl,
  tooltip,
  truncate,
} from "./svg.ts";

export interface BudgetAmount {
  name: string;
  spentCents: bigint;
  budgetCents: bigint;
  /** Passed through to the table row. */
  key?: string;
}

export interface BudgetChartOptions {
  /** Element id prefix, unique on the page. Default `"budgets"`. */
  id?: string;
  /** Accessible name of the chart. Default `"Budgets this month"`. */
  title?: string;
  formatMoney: FormatMoney;
  /** Width of the viewBox. Default 640. */
  width?: number;
  /** Longest category name shown before an ellipsis. Default 20. */
  labelChars?: number;
  /** Shown when there are no budgets. Default `"No budgets set"`. */
  emptyMessage?: string;
}

export interface BudgetRow {
  key: string | undefined;
  name: string;
  spentCents: bigint;
  budgetCents: bigint;
  /** budget − spent: negative when over. */
  leftCents: bigint;
  over: boolean;
  spent: string;
  budget: string;
  /** "$20.00 left" or "$20.00 over". */
  status: string;
}

export interface BudgetChart {
  svg: string;
  table: { rows: BudgetRow[] };
}

const ROW_HEIGHT = 44;
const BAR_HEIGHT = 14;

/** Renders one progress bar per budget, in input order. */
export function renderBudgetChart(
  budgets: BudgetAmount[],
  options: BudgetChartOptions,
): BudgetChart {
  const o = {
    id: "budgets",
    title: "Budgets this month",
    width: 640,
    labelChars: 20,
    emptyMessage: "No budgets set",
    ...options,
  };
  const fmt = o.formatMoney;
  const rows: BudgetRow[] = budgets.map((b) => {
    const left = b.budgetCents - b.spentCents;
    const over = left < 0n;
    return {
      key: b.key,
      name: b.name,
      spentCents: b.spentCents,
      budgetCents: b.budgetCents,
      leftCents: left,
      over,
      spent: fmt(b.spentCents),
      budget: fmt(b.budgetCents),
      status: over ? `${fmt(-left)} over` : `${fmt(left)} left`,
    };
  });
  const base = { id: o.id, title: o.title, width: o.width, className: "et-chart-budgets" };
  if (rows.length === 0) return { svg: emptyState(base, o.emptyMessage), table: { rows } };

  const labelWidth = o.labelChars * CHAR_WIDTH + 8;
  const barArea = Math.max(40, o.width - labelWidth - 4);
  const body = rows.map((r, i) => {
    const y = i * ROW_HEIGHT;
    // A budget of zero with spending is fully used (and over); with none it is empty.
    const used = r.over ? 1 : ratio(r.spentCents, r.budgetCents);
    const summary = `${r.spent} of ${r.budget} · ${r.status}`;
    const textX = r.over ? labelWidth + 18 : labelWidth;
    return el(
      "g",
      { class: r.over ? "et-row et-budget-over" : "et-row" },
      tooltip(`${r.name}: ${summary}`),
      textEl(truncate(r.name, o.labelChars), { class: "et-label", x: 0, y: y + BAR_HEIGHT - 2 }),
      el("rect", { class: "et-track", x: labelWidth, y, width: barArea, height: BAR_HEIGHT }),
      el("rect", {
        class: r.over ? "et-bar et-over" : "et-bar et-under",
        x: labelWidth,
        y,
        width: used * barArea,
        height: BAR_HEIGHT,
      }),
      r.over ? warningIcon(labelWidth, y + BAR_HEIGHT + 4) : "",
      textEl(r.over ? `Over budget: ${summary}` : summary, {
        class: r.over ? "et-value et-over-text" : "et-value",
        x: textX,
        y: y + BAR_HEIGHT + 16,
      }),
    );
  });
  const desc = `${o.title}: ${rows.map((r) => `${r.name} ${r.spent} of ${r.budget}, ${r.status}`).join("; ")}.`;
  return {
    svg: frame({ ...base, desc, height: rows.length * ROW_HEIGHT }, body.join("")),
    table: { rows },
  };
}

/** A warning triangle with an exclamation mark, 14 units square, top-left at (x, y). */
function warningIcon(x: number, y: number): string {
  return el(
    "g",
    { class: "et-icon", "aria-hidden": "true" },
    el("path", { class: "et-over", d: `M${x + 7} ${y}L${x + 14} ${y + 14}H${x}Z` }),
    el("rect", { class: "et-icon-mark", x: x + 6, y: y + 4, width: 2, height: 5 }),
    el("rect", { class: "et-icon-mark", x: x + 6, y: y + 10.5, width: 2, height: 2 }),
  );
}
