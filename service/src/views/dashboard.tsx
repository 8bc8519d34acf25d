import type { CategoryChart } from "../charts/category-bars.ts";
import { svgElement } from "../charts/index.ts";
import type { TrendChart } from "../charts/trend.ts";
import type { KindTotals, LargeExpense } from "../data/dashboard.ts";
import { addMonths, monthOf, type Period, periodName, SHORT_MONTH_NAMES } from "../lib/periods.ts";
import { Options } from "./form.tsx";
import { EmptyState, Icon } from "./icon.tsx";

type Format = (cents: bigint) => string;

/** Months and years the picker offers: every one from the first transaction to today's. */
export function periodOptions(
  span: { first: string; last: string } | undefined,
  today: string,
  startDay: number,
  current: Period,
): { value: string; label: string }[] {
  const last = [monthOf(today, startDay), span ? monthOf(span.last, startDay) : ""].sort().at(-1);
  const first = span ? monthOf(span.first, startDay) : (last ?? current.key);
  const options: { value: string; label: string }[] = [];
  for (let m = last ?? current.key; m >= first; m = addMonths(m, -1)) {
    if (m.endsWith("-12") || options.length === 0) {
      const year = m.slice(0, 4);
      options.push({ value: year, label: `All of ${year}` });
    }
    options.push({
      value: m,
      label: `${SHORT_MONTH_NAMES[Number(m.slice(5)) - 1]} ${m.slice(0, 4)}`,
    });
    if (options.length > 400) break; // a century of months is enough for a select
  }
  if (!options.some((o) => o.value === current.key)) {
    options.unshift({ value: current.key, label: periodName(current) });
  }
  return options;
}

export function PeriodBar(p: {
  period: Period;
  previous: Period;
  next: Period;
  options: { value: string; label: string }[];
}) {
  const { period } = p;
  const switchTo =
    period.kind === "month"
      ? { href: `/?period=${period.key.slice(0, 4)}`, label: `All of ${period.key.slice(0, 4)}` }
      : undefined;
  return (
    <div class="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-3">
      <div class="d-flex align-items-center gap-2">
        <a
          class="btn btn-outline-secondary btn-sm"
          href={`/?period=${p.previous.key}`}
          aria-label={`Previous: ${periodName(p.previous)}`}
        >
          <Icon name="chevron-left" />
        </a>
        <h1 class="h3 mb-0" data-period={period.key}>
          {periodName(period)}
        </h1>
        <a
          class="btn btn-outline-secondary btn-sm"
          href={`/?period=${p.next.key}`}
          aria-label={`Next: ${periodName(p.next)}`}
        >
          <Icon name="chevron-right" />
        </a>
        <span class="text-body-secondary small ms-1">
          {period.from} to {period.to}
        </span>
      </div>
      <form method="get" action="/" class="d-flex gap-2 align-items-center">
        {switchTo && (
          <a class="btn btn-link btn-sm" href={switchTo.href}>
            {switchTo.label}
          </a>
        )}
        <label class="visually-hidden" for="f-period">
          Period
        </label>
        <select id="f-period" name="period" class="form-select form-select-sm">
          <Options options={p.options} selected={period.key} />
        </select>
        <button class="btn btn-primary btn-sm" type="submit">
          Show
        </button>
      </form>
    </div>
  );
}

function Change(p: { now: bigint; before: bigint; format: Format; goodWhenUp: boolean }) {
  const diff = p.now - p.before;
  if (diff === 0n) return <span class="text-body-secondary">no change</span>;
  const up = diff > 0n;
  const good = up === p.goodWhenUp;
  // Share of change in tenths of a percent, exactly, from bigints.
  const pct =
    p.before !== 0n
      ? `${up ? "+" : "-"}${(Number(((diff < 0n ? -diff : diff) * 1000n) / (p.before < 0n ? -p.before : p.before)) / 10).toFixed(1)}%`
      : undefined;
  return (
    <span class={good ? "text-success" : "text-danger"}>
      {up ? "▲" : "▼"} {up ? "+" : "-"}
      {p.format(diff < 0n ? -diff : diff)}
      {pct ? ` (${pct})` : ""}
    </span>
  );
}

export function Comparison(p: {
  totals: KindTotals;
  before: KindTotals;
  previousName: Period;
  format: Format;
  listHref: string;
}) {
  const net = p.totals.incomeCents - p.totals.expenseCents;
  const netBefore = p.before.incomeCents - p.before.expenseCents;
  const cards = [
    {
      key: "income",
      label: "Income",
      now: p.totals.incomeCents,
      before: p.before.incomeCents,
      up: true,
    },
    {
      key: "expense",
      label: "Expenses",
      now: p.totals.expenseCents,
      before: p.before.expenseCents,
      up: false,
    },
    { key: "net", label: "Net", now: net, before: netBefore, up: true },
  ];
  return (
    <section class="row g-3 mb-4" aria-label="Totals of the period">
      {cards.map((card) => (
        <div class="col-md-4">
          <a class="card card-body shadow-sm text-decoration-none h-100" href={p.listHref}>
            <div class="small text-body-secondary">{card.label}</div>
            <div class="fs-4 fw-semibold text-body" data-dashboard={card.key}>
              {p.format(card.now)}
            </div>
            <div class="small">
              <Change now={card.now} before={card.before} format={p.format} goodWhenUp={card.up} />{" "}
              <span class="text-body-secondary">
                vs {p.format(card.before)} in {periodName(p.previousName)}
              </span>
            </div>
          </a>
        </div>
      ))}
    </section>
  );
}

export function CategoryTable(p: { chart: CategoryChart; linkFor: (id?: string) => string }) {
  const { rows, total } = p.chart.table;
  return (
    <>
      <figure class="mb-3">{svgElement(p.chart.svg)}</figure>
      {rows.length > 0 && (
        <table class="table table-sm mb-0">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" class="text-end">
                Amount
              </th>
              <th scope="col" class="text-end">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-category={r.name}>
                <td>
                  <a href={p.linkFor(r.key)}>{r.name}</a>
                </td>
                <td class="text-end text-nowrap">{r.amount}</td>
                <td class="text-end">{r.share}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All expenses</th>
              <td class="text-end text-nowrap fw-semibold">{total}</td>
              <td class="text-end">100%</td>
            </tr>
          </tfoot>
        </table>
      )}
    </>
  );
}

export function TrendTable(p: { chart: TrendChart }) {
  return (
    <>
      <figure class="mb-3">{svgElement(p.chart.svg)}</figure>
      <details>
        <summary class="small">The figures</summary>
        <table class="table table-sm mb-0">
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" class="text-end">
                Income
              </th>
              <th scope="col" class="text-end">
                Expenses
              </th>
              <th scope="col" class="text-end">
                Net
              </th>
            </tr>
          </thead>
          <tbody>
            {p.chart.table.rows.map((r) => (
              <tr>
                <td>{r.label}</td>
                <td class="text-end text-nowrap">{r.income}</td>
                <td class="text-end text-nowrap">{r.expenses}</td>
                <td class="text-end text-nowrap">{r.net}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

export function LargestExpenses(p: { rows: LargeExpense[]; format: Format; listHref: string }) {
  return (
    <section class="card card-body shadow-sm" aria-labelledby="largest-heading">
      <div class="d-flex justify-content-between align-items-baseline">
        <h2 class="h5" id="largest-heading">
          Largest expenses
        </h2>
        <a class="small" href={p.listHref}>
          All transactions of the period
        </a>
      </div>
      {p.rows.length === 0 ? (
        <EmptyState>
          <p class="mb-0">
            No expenses in this period. <a href="/transactions/new">Add one</a>.
          </p>
        </EmptyState>
      ) : (
        <ol class="list-group list-group-numbered list-group-flush">
          {p.rows.map((r) => (
            <li
              class="list-group-item d-flex justify-content-between gap-2"
              data-largest={String(r.id)}
            >
              <span class="me-auto">
                <a href={`/transactions/${r.id}/edit`}>{r.title}</a>{" "}
                <span class="text-body-secondary small">
                  {r.occurredOn} · {r.categoryName}
                </span>
              </span>
              <span class="text-nowrap">{p.format(r.amountCents)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
