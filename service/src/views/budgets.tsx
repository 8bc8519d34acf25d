import {
  type BudgetChart,
  type BudgetRow,
  renderBudgetChart,
  svgElement,
} from "../charts/index.ts";
import type { MonthBudget } from "../data/budgets.ts";
import type { Category, NumberFormat } from "../db/schema.ts";
import { centsToDecimal } from "../lib/money.ts";
import { type Period, periodName } from "../lib/periods.ts";
import type { FieldErrors, FormValues } from "./form.tsx";
import { Icon } from "./icon.tsx";

/** The key a budget goes by in forms: `all` for all spending, else the category's id. */
export const budgetKey = (categoryId: number | undefined) =>
  categoryId === undefined ? "all" : String(categoryId);

/** Spent against budget for the budgets in force, keyed by `budgetKey`. */
export function budgetChart(
  inForce: MonthBudget[],
  spent: Map<string, bigint>,
  formatMoney: (cents: bigint) => string,
  period: Period,
): BudgetChart {
  return renderBudgetChart(
    inForce.map((b) => ({
      name: b.name ?? "All spending",
      spentCents: spent.get(budgetKey(b.categoryId)) ?? 0n,
      budgetCents: b.amountCents,
      key: budgetKey(b.categoryId),
    })),
    { formatMoney, title: `Budgets in ${periodName(period)}` },
  );
}

export interface BudgetLine {
  key: string;
  name: string;
  /** The budget in force, if any, and the month it was set from. */
  budget: { amountCents: bigint; since: string } | undefined;
  spentCents: bigint;
}

/** The budgets of a month as bars with the amount left or over, for the dashboard. */
export function BudgetSummary(p: { chart: BudgetChart; period: Period }) {
  const over = p.chart.table.rows.filter((r) => r.over);
  return (
    <section class="card card-body shadow-sm h-100" aria-labelledby="budgets-heading">
      <div class="d-flex justify-content-between align-items-baseline">
        <h2 class="h5" id="budgets-heading">
          Budgets
        </h2>
        <a class="small" href={`/budgets?period=${p.period.key}`}>
          Set budgets
        </a>
      </div>
      {over.length > 0 && (
        <p class="text-danger small mb-2" data-budgets-over={String(over.length)}>
          <span aria-hidden="true">⚠ </span>
          Over budget: {over.map((r) => r.name).join(", ")}
        </p>
      )}
      <figure class="mb-0">{svgElement(p.chart.svg)}</figure>
    </section>
  );
}

/** In a year's view: budgets are monthly. */
export function BudgetsAreMonthly() {
  return (
    <section class="card card-body shadow-sm h-100" aria-labelledby="budgets-heading">
      <h2 class="h5" id="budgets-heading">
        Budgets
      </h2>
      <p class="text-body-secondary mb-0">
        Budgets are monthly: pick a month above to see them, or <a href="/budgets">set budgets</a>.
      </p>
    </section>
  );
}

function Status({ row }: { row: BudgetRow | undefined }) {
  if (!row) return <span class="text-body-secondary">No budget</span>;
  return row.over ? (
    <span class="text-danger fw-semibold">
      <span aria-hidden="true">⚠ </span>
      {row.status}
    </span>
  ) : (
    <span>{row.status}</span>
  );
}

/** One row per budget that can be set, with its form when the month can still be changed. */
export function BudgetTable(p: {
  lines: BudgetLine[];
  chartRows: Map<string, BudgetRow>;
  period: Period;
  editable: boolean;
  format: (cents: bigint) => string;
  /** How the user types amounts: the fields are filled in it. */
  numberFormat: NumberFormat;
  csrf: string;
  values: FormValues;
  errors: FieldErrors;
}) {
  return (
    <table class="table align-middle et-stack">
      <thead>
        <tr>
          <th scope="col">Budget</th>
          <th scope="col" class="text-end">
            Spent
          </th>
          <th scope="col">Left</th>
          <th scope="col">
            {p.editable ? `Monthly amount from ${periodName(p.period)}` : "Amount"}
          </th>
        </tr>
      </thead>
      <tbody>
        {p.lines.map((line) => {
          const error = p.values.category === line.key ? p.errors.amount : undefined;
          const id = `budget-${line.key}`;
          const typed = p.values.category === line.key ? p.values.amount : undefined;
          return (
            <tr data-budget={line.name}>
              <th scope="row">{line.name}</th>
              <td class="text-end text-nowrap amount" data-label="Spent">
                {p.format(line.spentCents)}
              </td>
              <td data-label="Left">
                <Status row={p.chartRows.get(line.key)} />
              </td>
              <td data-label={p.editable ? "Monthly amount" : "Amount"}>
                {p.editable ? (
                  <div class="d-flex flex-wrap gap-2 align-items-start">
                    <form method="post" action="/budgets" class="d-flex gap-2" novalidate>
                      <input type="hidden" name="_csrf" value={p.csrf} />
                      <input type="hidden" name="month" value={p.period.key} />
                      <input type="hidden" name="category" value={line.key} />
                      <div>
                        <label class="visually-hidden" for={id}>
                          Monthly budget for {line.name}
                        </label>
                        <input
                          id={id}
                          name="amount"
                          inputmode="decimal"
                          class={`form-control form-control-sm${error ? " is-invalid" : ""}`}
                          value={
                            typed ??
                            (line.budget
                              ? centsToDecimal(line.budget.amountCents, p.numberFormat)
                              : "")
                          }
                          aria-describedby={error ? `${id}-error` : undefined}
                        />
                        {error && (
                          <div class="invalid-feedback" id={`${id}-error`}>
                            {error}
                          </div>
                        )}
                      </div>
                      <button class="btn btn-primary btn-sm" type="submit">
                        <Icon name="check-lg" /> Save
                        <span class="visually-hidden"> budget for {line.name}</span>
                      </button>
                    </form>
                    {line.budget && (
                      <form method="post" action="/budgets/clear">
                        <input type="hidden" name="_csrf" value={p.csrf} />
                        <input type="hidden" name="month" value={p.period.key} />
                        <input type="hidden" name="category" value={line.key} />
                        <button class="btn btn-outline-secondary btn-sm" type="submit">
                          <Icon name="x-lg" /> Clear
                          <span class="visually-hidden"> budget for {line.name}</span>
                        </button>
                      </form>
                    )}
                  </div>
                ) : line.budget ? (
                  p.format(line.budget.amountCents)
                ) : (
                  "—"
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The lines of the budgets page: all spending first, then every expense category. */
export function budgetLines(
  expenseCategories: Category[],
  inForce: Map<string, { amountCents: bigint; since: string }>,
  spent: Map<string, bigint>,
): BudgetLine[] {
  return [
    { key: "all", name: "All spending" },
    ...expenseCategories.map((c) => ({ key: String(c.id), name: c.name })),
  ].map((l) => ({ ...l, budget: inForce.get(l.key), spentCents: spent.get(l.key) ?? 0n }));
}
