// The first page after sign-in: a period's income, expenses and net against the period before,
// spending by category, the trend of the last twelve months, and the largest expenses.
import type { Context } from "hono";
import { Hono } from "hono";
import { renderCategoryChart, renderTrendChart } from "../charts/index.ts";
import { budgetsForMonth } from "../data/budgets.ts";
import {
  dataSpan,
  largestExpenses,
  monthlyTotals,
  periodTotals,
  spendingByCategory,
} from "../data/dashboard.ts";
import { dueOccurrences } from "../data/recurring.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { moneyFor } from "../lib/money.ts";
import {
  monthOf,
  PERIOD_RULE,
  parsePeriod,
  shift,
  shortMonth,
  trendMonths,
} from "../lib/periods.ts";
import { now } from "../middleware/session.ts";
import { BudgetSummary, BudgetsAreMonthly, budgetChart, budgetKey } from "../views/budgets.tsx";
import {
  CategoryTable,
  Comparison,
  LargestExpenses,
  PeriodBar,
  periodOptions,
  TrendTable,
} from "../views/dashboard.tsx";
import { errorPage } from "../views/errors.tsx";
import { page } from "../views/layout.tsx";
import { DueSoon } from "../views/recurring.tsx";

/** Query parameters of the transaction list: a `/` carrying one is an old bookmark of the list. */
const LIST_PARAMETERS = ["from", "to", "category", "kind", "q", "page"];

export function dashboardRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const url = new URL(c.req.url);
    if (LIST_PARAMETERS.some((p) => url.searchParams.has(p))) {
      return c.redirect(`/transactions${url.search}`, 302);
    }
    return dashboard(c);
  });

  // The summary was the year at a glance; the dashboard's year view is that now.
  app.get("/summary", (c) => {
    const user = c.get("user") as User;
    const today = todayIn(user.timeZone, now(c));
    const year = monthOf(today, user.monthStartDay).slice(0, 4);
    return c.redirect(`/?period=${year}`, 302);
  });

  return app;
}

async function dashboard(c: Context<AppEnv>) {
  const user = c.get("user") as User;
  const { db } = c.get("deps");
  const startDay = user.monthStartDay;
  const today = todayIn(user.timeZone, now(c));
  const period = parsePeriod(c.req.query("period"), today, startDay);
  if (!period) return errorPage(c, 400, PERIOD_RULE);
  const previous = shift(period, -1, startDay);
  const months = trendMonths(period);

  // The trend's months hold a month's figures and the month before's; a year is its twelve.
  const [trend, yearBefore, spending, largest, span, inForce, due] = await Promise.all([
    monthlyTotals(db, user.id, months[0] ?? period.key, months[11] ?? period.key, startDay),
    period.kind === "year" ? periodTotals(db, user.id, previous.from, previous.to) : undefined,
    spendingByCategory(db, user.id, period.from, period.to),
    largestExpenses(db, user.id, period.from, period.to),
    dataSpan(db, user.id),
    period.kind === "month" ? budgetsForMonth(db, user.id, period.key) : Promise.resolve([]),
    dueOccurrences(db, user.id, today),
  ]);
  const zero = { incomeCents: 0n, expenseCents: 0n };
  const totals =
    period.kind === "month"
      ? (trend.get(period.key) ?? zero)
      : [...trend.values()].reduce(
          (a, b) => ({
            incomeCents: a.incomeCents + b.incomeCents,
            expenseCents: a.expenseCents + b.expenseCents,
          }),
          zero,
        );
  const before = yearBefore ?? trend.get(previous.key) ?? zero;
  const money = moneyFor(user);
  const categoryChart = renderCategoryChart(
    spending.map((s) => ({
      name: s.name,
      cents: s.cents,
      colour: s.color,
      key: String(s.categoryId),
    })),
    { formatMoney: money.amount },
  );
  const trendChart = renderTrendChart(
    months.map((m) => ({
      label: shortMonth(m),
      incomeCents: trend.get(m)?.incomeCents ?? 0n,
      expenseCents: trend.get(m)?.expenseCents ?? 0n,
    })),
    { formatMoney: money.amount, formatTick: money.compact },
  );
  const spent = new Map(spending.map((s) => [budgetKey(s.categoryId), s.cents]));
  spent.set("all", totals.expenseCents);
  const listLink = (categoryId?: string) =>
    `/transactions?from=${period.from}&to=${period.to}${categoryId ? `&category=${categoryId}` : ""}`;

  return page(
    c,
    "Dashboard",
    <>
      <PeriodBar
        period={period}
        previous={previous}
        next={shift(period, 1, startDay)}
        options={periodOptions(span, today, startDay, period)}
      />
      <Comparison
        totals={totals}
        before={before}
        previousName={previous}
        format={money.amount}
        listHref={listLink()}
      />
      <div class="row g-4">
        <div class="col-lg-6">
          <section class="card card-body shadow-sm h-100" aria-labelledby="spending-heading">
            <h2 class="h5" id="spending-heading">
              Spending by category
            </h2>
            <CategoryTable chart={categoryChart} linkFor={listLink} />
          </section>
        </div>
        <div class="col-lg-6">
          <section class="card card-body shadow-sm h-100" aria-labelledby="trend-heading">
            <h2 class="h5" id="trend-heading">
              {period.kind === "year" ? `Months of ${period.key}` : "The last 12 months"}
            </h2>
            <TrendTable chart={trendChart} />
          </section>
        </div>
        <div class="col-lg-6">
          <LargestExpenses rows={largest} format={money.amount} listHref={listLink()} />
        </div>
        <div class="col-lg-6">
          {period.kind === "month" ? (
            <BudgetSummary
              chart={budgetChart(inForce, spent, money.amount, period)}
              period={period}
            />
          ) : (
            <BudgetsAreMonthly />
          )}
        </div>
        <div class="col-lg-6">
          <DueSoon due={due} money={money} today={today} />
        </div>
      </div>
    </>,
  );
}
