import { Hono } from "hono";
import { expenseByCategory, monthlyTotals } from "../data/transactions.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { monthRange, todayIn } from "../lib/dates.ts";
import { formatMoney } from "../lib/money.ts";
import { now } from "../middleware/session.ts";
import { Card } from "../views/form.tsx";
import { page } from "../views/layout.tsx";

/** The twelve months ending with the month of `isoDate`, as YYYY-MM, oldest first. */
function lastTwelveMonths(isoDate: string): string[] {
  const [y, m] = isoDate.split("-").map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (11 - i), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** Income, expense and net per month for the last year, and this month's spending by category. */
export function summaryRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/summary", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const today = todayIn(user.timeZone, now(c));
    const months = lastTwelveMonths(today);
    const from = `${months[0]}-01`;
    const thisMonth = monthRange(today);
    const [totals, byCategory] = await Promise.all([
      monthlyTotals(db, user.id, from, thisMonth.to),
      expenseByCategory(db, user.id, thisMonth.from, thisMonth.to),
    ]);
    const byMonth = new Map(totals.map((t) => [t.month, t]));
    const money = (cents: bigint) => formatMoney(cents, user.currency);
    const monthLink = (month: string) => {
      const r = monthRange(`${month}-01`);
      return `/?from=${r.from}&to=${r.to}`;
    };
    return page(
      c,
      "Summary",
      <div class="row g-4">
        <div class="col-lg-7">
          <Card title="Last 12 months">
            <table class="table table-sm">
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col" class="text-end">
                    Income
                  </th>
                  <th scope="col" class="text-end">
                    Expense
                  </th>
                  <th scope="col" class="text-end">
                    Net
                  </th>
                </tr>
              </thead>
              <tbody>
                {months.toReversed().map((month) => {
                  const t = byMonth.get(month);
                  const income = t?.incomeCents ?? 0n;
                  const expense = t?.expenseCents ?? 0n;
                  return (
                    <tr data-month={month}>
                      <td>
                        <a href={monthLink(month)}>{month}</a>
                      </td>
                      <td class="text-end">{money(income)}</td>
                      <td class="text-end">{money(expense)}</td>
                      <td class="text-end fw-semibold">{money(income - expense)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Card>
        </div>
        <div class="col-lg-5">
          <Card title={`Spending by category, ${today.slice(0, 7)}`}>
            {byCategory.length === 0 ? (
              <p class="text-body-secondary mb-0">No expenses this month yet.</p>
            ) : (
              <table class="table table-sm">
                <tbody>
                  {byCategory.map((row) => (
                    <tr>
                      <td>{row.category}</td>
                      <td class="text-end">{money(row.cents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      </div>,
    );
  });
  return app;
}
