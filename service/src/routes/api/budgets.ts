// /api/v1/budgets: the budgets in force in a month, and setting one from a month on.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { budgetsForMonth, setBudget } from "../../data/budgets.ts";
import { periodTotals, spendingByCategory } from "../../data/dashboard.ts";
import type { User } from "../../db/schema.ts";
import type { AppEnv } from "../../env.ts";
import { todayIn } from "../../lib/dates.ts";
import { centsToDecimal } from "../../lib/money.ts";
import { monthOf, monthPeriod } from "../../lib/periods.ts";
import { now } from "../../middleware/session.ts";
import { apiUser, errors, json, WRITE_ERRORS } from "./common.ts";
import { ApiError } from "./errors.ts";
import type { ApiApp } from "./index.ts";
import { BudgetMonthSchema, BudgetQuerySchema, BudgetSetSchema } from "./schemas.ts";

const PATH = "/api/v1/budgets";
const tags = ["Budgets"];
const security = [{ bearerAuth: [] }];

const thisMonth = (c: Context<AppEnv>, user: User) =>
  monthOf(todayIn(user.timeZone, now(c)), user.monthStartDay);

/** The month's budgets with what was spent against each, as the budgets page shows them. */
async function budgetMonth(c: Context<AppEnv>, key: string) {
  const user = apiUser(c);
  const { db } = c.get("deps");
  const month = monthPeriod(key, user.monthStartDay);
  const [inForce, spending, totals] = await Promise.all([
    budgetsForMonth(db, user.id, month.key),
    spendingByCategory(db, user.id, month.from, month.to),
    periodTotals(db, user.id, month.from, month.to),
  ]);
  const spent = new Map(spending.map((s) => [s.categoryId, s.cents]));
  return {
    month: month.key,
    from: month.from,
    to: month.to,
    editable: month.key >= thisMonth(c, user),
    budgets: inForce.map((b) => ({
      category_id: b.categoryId ?? null,
      category_name: b.name ?? null,
      amount: centsToDecimal(b.amountCents),
      since: b.since,
      spent: centsToDecimal(
        b.categoryId === undefined ? totals.expenseCents : (spent.get(b.categoryId) ?? 0n),
      ),
    })),
  };
}

export function budgetApi(api: ApiApp) {
  api.openapi(
    createRoute({
      method: "get",
      path: PATH,
      tags,
      security,
      summary: "Budgets of a month",
      description:
        "The budgets in force in the month (yours: months follow your start day), all spending first, with the expenses so far.",
      request: { query: BudgetQuerySchema },
      responses: { 200: json(BudgetMonthSchema, "The month's budgets"), ...errors() },
    }),
    async (c) => {
      const { month } = c.req.valid("query");
      return c.json(await budgetMonth(c, month ?? thisMonth(c, apiUser(c))), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "put",
      path: PATH,
      tags,
      security,
      summary: "Set or clear a budget",
      description:
        "Sets the amount (or, with null, clears it) from the month on; amounts set for later months are replaced and earlier months keep theirs. Months before the current one cannot change. Sending the same body again changes nothing.",
      request: {
        body: { required: true, content: { "application/json": { schema: BudgetSetSchema } } },
      },
      responses: {
        200: json(BudgetMonthSchema, "The month's budgets after the change"),
        ...errors(...WRITE_ERRORS),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const user = apiUser(c);
      const current = thisMonth(c, user);
      const month = body.month ?? current;
      if (month < current) {
        const message = `Past months keep the budgets they had: choose ${current} or later`;
        throw new ApiError(422, message, { month: message });
      }
      const categoryId = body.category_id ?? undefined;
      if (!(await setBudget(c.get("deps").db, user.id, categoryId, month, body.amount))) {
        const message =
          "category_id must be one of your expense categories, or null for all spending";
        throw new ApiError(422, message, { category_id: message });
      }
      return c.json(await budgetMonth(c, month), 200);
    },
  );
}
