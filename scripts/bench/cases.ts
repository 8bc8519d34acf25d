// What the benchmark times: the data-layer calls behind the transaction list and the dashboard.
import { budgetsForMonth } from "../../service/src/data/budgets.ts";
import {
  dataSpan,
  largestExpenses,
  monthlyTotals,
  periodTotals,
  spendingByCategory,
} from "../../service/src/data/dashboard.ts";
import { listTransactions, totalTransactions } from "../../service/src/data/transactions.ts";
import type { Db } from "../../service/src/db/client.ts";
import { monthRange } from "../../service/src/lib/dates.ts";
import { ANCHOR_DATE, type SeededUser } from "./database.ts";

export interface BenchCase {
  name: string;
  /** p95 bound in ms that the case must meet; absent for cases that are only reported. */
  targetMs?: number;
  /** Whether to print the EXPLAIN (ANALYZE, BUFFERS) summary of its queries. */
  explain: boolean;
  /**
   * The index its plan must read: a check that holds at any --rows, where the timing targets
   * only bite at a million.
   */
  needsIndex?:
    | typeof USER_DATE_INDEX
    | typeof MONTH_TOTALS_KEY
    | typeof KIND_AMOUNT_INDEX
    | typeof AMOUNT_INDEX
    | typeof TITLE_INDEX;
  /** Runs the calls once; returns a number to show (rows, or a count) as a sanity check. */
  run(): Promise<number>;
}

/** Serves listings and sums over the transactions themselves. */
export const USER_DATE_INDEX = "transactions_user_date_idx";
/** Serves the largest expenses of a period. */
export const KIND_AMOUNT_INDEX = "transactions_user_kind_amount_idx";
/** Serves the list sorted by amount, and by title. */
export const AMOUNT_INDEX = "transactions_user_amount_idx";
export const TITLE_INDEX = "transactions_user_title_idx";
/** Serves totals over whole months from month_totals. */
export const MONTH_TOTALS_KEY = "month_totals_user_id_month_category_id_kind_pk";

/** Bounds the issue promises: a listing page, or one month's sums, in under 50 ms at p95. */
export const LISTING_TARGET_MS = 50;
export const MONTH_TARGET_MS = 50;

/** The twelve months ending with the anchor month, as the summary page asks for them. */
function lastTwelveMonths(): { from: string; to: string } {
  const [y, m] = ANCHOR_DATE.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
  return { from: first, to: monthRange(ANCHOR_DATE).to };
}

type Range = { from: string; to: string };

const wholeYear = (y: number): Range => ({ from: `${y}-01-01`, to: `${y}-12-31` });

/**
 * The dashboard's queries for a period, as the route sends them: the trend (which holds a month's
 * totals and the month before's), the year before for a year, categories, top five, span, budgets.
 */
function dashboard(
  db: Db,
  u: number,
  period: Range,
  before: Range | undefined,
  trend: Range,
  budgetMonth: string | undefined,
) {
  return async () => {
    const [months] = await Promise.all([
      monthlyTotals(db, u, trend.from.slice(0, 7), trend.to.slice(0, 7), 1),
      before ? periodTotals(db, u, before.from, before.to) : undefined,
      spendingByCategory(db, u, period.from, period.to),
      largestExpenses(db, u, period.from, period.to),
      dataSpan(db, u),
      budgetMonth ? budgetsForMonth(db, u, budgetMonth) : Promise.resolve([]),
    ]);
    return months.size;
  };
}

export function benchCases(db: Db, user: SeededUser): BenchCase[] {
  const u = user.id;
  const category = (name: string) => {
    const id = user.categories.get(name);
    if (id === undefined) throw new Error(`user ${u} has no category ${name}`);
    return id;
  };
  const thisMonth = monthRange(ANCHOR_DATE);
  const oldMonth = monthRange("2020-03-15");
  const year = lastTwelveMonths();
  const lastYear = wholeYear(Number(ANCHOR_DATE.slice(0, 4)) - 1);
  const yearBefore = wholeYear(Number(ANCHOR_DATE.slice(0, 4)) - 2);
  const listing =
    (
      filter: Parameters<typeof listTransactions>[2],
      page: number,
      sort?: Parameters<typeof listTransactions>[4],
    ) =>
    async () =>
      (await listTransactions(db, u, filter, page, sort)).length;
  const totals = (filter: Parameters<typeof totalTransactions>[2]) => async () =>
    (await totalTransactions(db, u, filter)).count;

  return [
    {
      name: "list: newest first, page 1",
      needsIndex: USER_DATE_INDEX,
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing({}, 1),
    },
    {
      name: "list: newest first, page 100",
      needsIndex: USER_DATE_INDEX,
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing({}, 100),
    },
    {
      name: "list: largest amount first, page 1",
      needsIndex: AMOUNT_INDEX,
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing({}, 1, "amount-desc"),
    },
    {
      name: "list: smallest amount first, page 100",
      needsIndex: AMOUNT_INDEX,
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing({}, 100, "amount-asc"),
    },
    {
      name: "list: title A to Z, page 1",
      needsIndex: TITLE_INDEX,
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing({}, 1, "title-asc"),
    },
    {
      name: "list: one month (2020-03), page 1",
      needsIndex: USER_DATE_INDEX,
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing(oldMonth, 1),
    },
    {
      name: "list: category Salary + income",
      targetMs: LISTING_TARGET_MS,
      explain: true,
      run: listing({ categoryId: category("Salary"), kind: "income" }, 1),
    },
    {
      name: "list: search 'coffee' (common)",
      explain: true,
      run: listing({ q: "coffee" }, 1),
    },
    {
      name: "list: search 'warranty' (rare)",
      explain: true,
      run: listing({ q: "warranty" }, 1),
    },
    {
      name: "totals: one month",
      needsIndex: MONTH_TOTALS_KEY,
      targetMs: MONTH_TARGET_MS,
      explain: true,
      run: totals(thisMonth),
    },
    {
      name: "totals: one month + category",
      needsIndex: MONTH_TOTALS_KEY,
      targetMs: MONTH_TARGET_MS,
      explain: false,
      run: totals({ ...thisMonth, categoryId: category("Food") }),
    },
    {
      name: "totals: whole history",
      needsIndex: MONTH_TOTALS_KEY,
      explain: true,
      run: totals({}),
    },
    {
      // Not whole months: summed from the rows, as before month_totals.
      name: "totals: part of a month",
      needsIndex: USER_DATE_INDEX,
      targetMs: MONTH_TARGET_MS,
      explain: true,
      run: totals({ from: thisMonth.from, to: `${thisMonth.from.slice(0, 8)}15` }),
    },
    {
      name: "totals: search 'warranty'",
      explain: false,
      run: totals({ q: "warranty" }),
    },
    {
      name: "monthlyTotals: last 12 months",
      needsIndex: MONTH_TOTALS_KEY,
      explain: true,
      run: async () =>
        (await monthlyTotals(db, u, year.from.slice(0, 7), year.to.slice(0, 7), 1)).size,
    },
    {
      name: "spendingByCategory: one month",
      needsIndex: MONTH_TOTALS_KEY,
      targetMs: MONTH_TARGET_MS,
      explain: true,
      run: async () => (await spendingByCategory(db, u, thisMonth.from, thisMonth.to)).length,
    },
    {
      // What GET /transactions awaits: the first page and the totals of the same (empty) filter.
      name: "page GET /transactions: list + totals",
      explain: false,
      run: async () => {
        const [rows] = await Promise.all([listing({}, 1)(), totals({})()]);
        return rows;
      },
    },
    {
      name: "largestExpenses: one year",
      needsIndex: KIND_AMOUNT_INDEX,
      targetMs: MONTH_TARGET_MS,
      explain: true,
      run: async () => (await largestExpenses(db, u, lastYear.from, lastYear.to)).length,
    },
    {
      // Every query GET /?period=<anchor month> runs, in parallel as the page does.
      name: "page GET / (dashboard, one month)",
      explain: true,
      run: dashboard(db, u, thisMonth, undefined, year, ANCHOR_DATE.slice(0, 7)),
    },
    {
      name: "page GET / (dashboard, one year)",
      explain: true,
      run: dashboard(db, u, lastYear, yearBefore, lastYear, undefined),
    },
  ];
}
