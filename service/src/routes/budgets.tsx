// Monthly budgets: the month's budgets with their progress, set or cleared from the current
// month onward. Past months keep the budgets they had.
import type { Context } from "hono";
import { Hono } from "hono";
import { svgElement } from "../charts/index.ts";
import { budgetsForMonth, setBudget } from "../data/budgets.ts";
import { listCategories } from "../data/categories.ts";
import { periodTotals, spendingByCategory } from "../data/dashboard.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { moneyFor } from "../lib/money.ts";
import { monthOf, monthPeriod, parsePeriod, periodName, shift } from "../lib/periods.ts";
import { flash, now } from "../middleware/session.ts";
import {
  budgetClearForm,
  budgetForm,
  budgetFormIn,
  validForm,
  validFormIn,
} from "../validation.ts";
import { BudgetTable, budgetChart, budgetKey, budgetLines } from "../views/budgets.tsx";
import { errorPage } from "../views/errors.tsx";
import { type FieldErrors, FormAlert, type FormValues } from "../views/form.tsx";
import { page } from "../views/layout.tsx";

const MONTH_ONLY =
  "Budgets are monthly: choose a month as YYYY-MM, from 1900 to 2100, such as 2026-03";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;
const thisMonth = (c: Context<AppEnv>, user: User) =>
  monthOf(todayIn(user.timeZone, now(c)), user.monthStartDay);

async function budgetsPage(
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
) {
  const user = currentUser(c);
  const { db } = c.get("deps");
  const current = thisMonth(c, user);
  // A form shown again stays on its month, unless that month is what was wrong with it.
  const asked = errors.month ? undefined : (values.month ?? c.req.query("period"));
  const period = parsePeriod(asked, `${current}-01`, 1);
  if (period?.kind !== "month") return errorPage(c, 400, MONTH_ONLY);
  const month = monthPeriod(period.key, user.monthStartDay);
  const [categories, inForce, spending, totals] = await Promise.all([
    listCategories(db, user.id),
    budgetsForMonth(db, user.id, month.key),
    spendingByCategory(db, user.id, month.from, month.to),
    periodTotals(db, user.id, month.from, month.to),
  ]);
  const spent = new Map(spending.map((s) => [budgetKey(s.categoryId), s.cents]));
  spent.set("all", totals.expenseCents);
  const money = moneyFor(user);
  const chart = budgetChart(inForce, spent, money.amount, month);
  const lines = budgetLines(
    categories.filter((cat) => cat.kind === "expense"),
    new Map(inForce.map((b) => [budgetKey(b.categoryId), b])),
    spent,
  );
  const editable = month.key >= current;
  const nav = (p: typeof month, label: string) => (
    <a
      class="btn btn-outline-secondary btn-sm"
      href={`/budgets?period=${p.key}`}
      aria-label={`${label}: ${periodName(p)}`}
    >
      {label === "Previous" ? "‹" : "›"}
    </a>
  );
  return page(
    c,
    "Budgets",
    <>
      <div class="d-flex flex-wrap align-items-center gap-2 mb-3">
        {nav(shift(month, -1, user.monthStartDay), "Previous")}
        <h1 class="h3 mb-0" data-period={month.key}>
          Budgets for {periodName(month)}
        </h1>
        {nav(shift(month, 1, user.monthStartDay), "Next")}
        <span class="text-body-secondary small ms-1">
          {month.from} to {month.to}
        </span>
      </div>
      <p class="text-body-secondary">
        {editable
          ? `An amount holds from ${periodName(month)} onward, until you change it; months before keep theirs. Amounts set for later months are replaced.`
          : `Past months keep the budgets they had. Budgets can be changed from ${periodName(monthPeriod(current, user.monthStartDay))} onward.`}
      </p>
      <FormAlert errors={{ _form: errors._form ?? errors.category ?? errors.month }} />
      <div class="row g-4">
        <div class="col-lg-5">
          <figure class="card card-body shadow-sm">{svgElement(chart.svg)}</figure>
        </div>
        <div class="col-lg-7">
          <BudgetTable
            lines={lines}
            chartRows={new Map(chart.table.rows.map((r) => [r.key ?? "", r]))}
            period={month}
            editable={editable}
            format={money.amount}
            numberFormat={user.numberFormat}
            csrf={c.get("csrfToken") ?? ""}
            values={values}
            errors={errors}
          />
        </div>
      </div>
    </>,
    status,
  );
}

export function budgetRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/budgets", (c) => budgetsPage(c, {}, {}));

  const save = async (
    c: Context<AppEnv>,
    form: { month: string; category: number | undefined },
    amountCents: bigint | null,
  ) => {
    const user = currentUser(c);
    if (form.month < thisMonth(c, user)) {
      return budgetsPage(
        c,
        { month: form.month },
        { _form: "Past months keep the budgets they had: change a budget from this month on" },
        422,
      );
    }
    const done = await setBudget(c.get("deps").db, user.id, form.category, form.month, amountCents);
    if (!done) return errorPage(c, 404, "That is not one of your expense categories");
    const month = monthPeriod(form.month, user.monthStartDay);
    await flash(
      c,
      amountCents === null
        ? `Budget cleared from ${periodName(month)}.`
        : `Budget of ${moneyFor(user).amount(amountCents)} a month set from ${periodName(month)}.`,
    );
    return c.redirect(`/budgets?period=${form.month}`, 303);
  };

  app.post("/budgets", validFormIn(budgetForm, budgetFormIn, budgetsPage), (c) => {
    const form = c.req.valid("form");
    return save(c, form, form.amount);
  });
  app.post("/budgets/clear", validForm(budgetClearForm, budgetsPage), (c) =>
    save(c, c.req.valid("form"), null),
  );
  return app;
}
