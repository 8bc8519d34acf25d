// The recurring rules page: each rule with its next date, pause and resume, and deleting one
// after a confirmation. Adding and editing are in recurring-edit.tsx.
import type { Context } from "hono";
import { Hono } from "hono";
import {
  countOccurrences,
  deleteRecurringRule,
  getRecurringRule,
  listRecurringRules,
  pauseRecurringRule,
  resumeRecurringRule,
  scheduleOf,
} from "../data/recurring.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { moneyFor } from "../lib/money.ts";
import { describeSchedule } from "../lib/recurrence.ts";
import { flash, now } from "../middleware/session.ts";
import { confirmPage } from "../views/confirm.tsx";
import { page } from "../views/layout.tsx";
import { NoRules, RuleTable } from "../views/recurring.tsx";
import { pathId } from "./path-id.ts";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;

export function recurringRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/recurring", async (c) => {
    const user = currentUser(c);
    const rules = await listRecurringRules(c.get("deps").db, user.id);
    return page(
      c,
      "Recurring",
      <>
        <div class="d-flex justify-content-between align-items-center mb-3">
          <h1 class="h3 mb-0">Recurring</h1>
          <a class="btn btn-primary" href="/recurring/new">
            Add recurring rule
          </a>
        </div>
        {rules.length === 0 ? (
          <NoRules />
        ) : (
          <>
            <RuleTable rules={rules} money={moneyFor(user)} csrf={c.get("csrfToken")} />
            <p class="text-body-secondary small">
              Each rule adds its transaction on its dates, in your time zone, within a minute or so.
              To skip one occurrence, delete that transaction: it is not added again. A paused rule
              adds nothing, and when it resumes, what fell due meanwhile is skipped.
            </p>
          </>
        )}
      </>,
    );
  });

  app.post("/recurring/:id/pause", async (c) => {
    const id = pathId(c);
    const user = currentUser(c);
    const { db } = c.get("deps");
    const rule = id && (await getRecurringRule(db, user.id, id));
    if (!rule || !(await pauseRecurringRule(db, user.id, rule.id, now(c)))) return c.notFound();
    await flash(c, `Paused “${rule.title}”: it adds nothing until you resume it.`);
    return c.redirect("/recurring", 303);
  });

  app.post("/recurring/:id/resume", async (c) => {
    const id = pathId(c);
    const user = currentUser(c);
    const { db } = c.get("deps");
    const today = todayIn(user.timeZone, now(c));
    const rule = id && (await getRecurringRule(db, user.id, id));
    if (!rule || !(await resumeRecurringRule(db, user.id, rule.id, today))) return c.notFound();
    const next = (await getRecurringRule(db, user.id, rule.id))?.nextOccurrenceOn;
    await flash(
      c,
      next
        ? `Resumed “${rule.title}”: next on ${next}.`
        : `Resumed “${rule.title}”; its schedule has ended.`,
    );
    return c.redirect("/recurring", 303);
  });

  app.get("/recurring/:id/delete", async (c) => {
    const id = pathId(c);
    const user = currentUser(c);
    const { db } = c.get("deps");
    const rule = id && (await getRecurringRule(db, user.id, id));
    if (!rule) return c.notFound();
    const made = await countOccurrences(db, user.id, rule.id);
    return confirmPage(c, {
      title: "Delete recurring rule",
      question: "Delete this recurring rule?",
      action: `/recurring/${rule.id}/delete`,
      confirmLabel: "Delete",
      cancelHref: "/recurring",
      children: (
        <>
          <p>
            <strong>{rule.title}</strong> · {describeSchedule(scheduleOf(rule))} ·{" "}
            {rule.categoryName} · {moneyFor(user).amount(rule.amountCents)} ({rule.kind})
          </p>
          <p class="text-body-secondary">
            No more occurrences will be added.{" "}
            {made > 0
              ? `The ${made} transaction${made === 1 ? "" : "s"} it added stay${made === 1 ? "s" : ""}.`
              : ""}
          </p>
        </>
      ),
    });
  });

  app.post("/recurring/:id/delete", async (c) => {
    const id = pathId(c);
    const user = currentUser(c);
    const { db } = c.get("deps");
    const rule = id && (await getRecurringRule(db, user.id, id));
    if (!rule || !(await deleteRecurringRule(db, user.id, rule.id))) return c.notFound();
    await flash(c, `Deleted the recurring rule “${rule.title}”.`);
    return c.redirect("/recurring", 303);
  });

  return app;
}
