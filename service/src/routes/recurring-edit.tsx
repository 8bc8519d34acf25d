// Adding and editing a recurring rule. A new rule whose start date is past asks first whether to
// create the occurrences already past (a year back at most); the worker creates them, not the
// request. An edit holds for the occurrences still to come.
import type { Context } from "hono";
import { Hono } from "hono";
import { listCategories } from "../data/categories.ts";
import {
  createRecurringRule,
  getRecurringRule,
  normalise,
  type RecurringRuleInput,
  scheduleOf,
  updateRecurringRule,
} from "../data/recurring.ts";
import { TRANSACTION_KINDS, type TransactionKind, type User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { centsToDecimal } from "../lib/money.ts";
import { describeSchedule, isoWeekday, LAST_DAY, pastOccurrences } from "../lib/recurrence.ts";
import { flash, now } from "../middleware/session.ts";
import { formValues, validFormIn } from "../validation.ts";
import { Card, type FieldErrors, type FormValues } from "../views/form.tsx";
import { page } from "../views/layout.tsx";
import { PastChoice, RecurringForm } from "../views/recurring-form.tsx";
import { pathId } from "./path-id.ts";
import {
  type RecurringForm as Form,
  recurringForm,
  recurringFormIn,
  toRuleInput,
} from "./recurring-input.ts";
import { newKey, submitOnce } from "./submit-once.ts";
import { preselect } from "./transaction-edit.tsx";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;
const today = (c: Context<AppEnv>) => todayIn(currentUser(c).timeZone, now(c));

/** The last date a rule limited to a number of occurrences may end on. */
const LAST_END = "2100-12-31";

interface Mode {
  title: string;
  action: string;
  submit: string;
  kindHref: (kind: TransactionKind) => string;
  editing: boolean;
}

const addMode: Mode = {
  title: "Add recurring rule",
  action: "/recurring",
  submit: "Add",
  kindHref: (kind) => `/recurring/new?kind=${kind}`,
  editing: false,
};
const editMode = (id: number): Mode => ({
  title: "Edit recurring rule",
  action: `/recurring/${id}`,
  submit: "Save changes",
  kindHref: (kind) => `/recurring/${id}/edit?kind=${kind}`,
  editing: true,
});

const kindOf = (v: string | undefined): TransactionKind =>
  TRANSACTION_KINDS.find((k) => k === v) ?? "expense";

async function formPage(
  c: Context<AppEnv>,
  mode: Mode,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
) {
  const kind = kindOf(values.kind);
  const all = await listCategories(c.get("deps").db, currentUser(c).id);
  const { past: _, ...shown } = values;
  // The answer to the past-occurrences question has no field of its own on the form.
  const shownErrors = errors.past ? { _form: errors.past, ...errors } : errors;
  return page(
    c,
    mode.title,
    <div class="row justify-content-center">
      <div class="col-lg-10">
        <Card title={mode.title}>
          <RecurringForm
            c={c}
            action={mode.action}
            values={{ ...shown, kind }}
            errors={shownErrors}
            categories={all.filter((cat) => cat.kind === kind)}
            submit={mode.submit}
            kindHref={mode.kindHref}
            editing={mode.editing}
          />
        </Card>
      </div>
    </div>,
    status,
  );
}

/**
 * The rule to store, or field errors: the category must be one of the user's and of the rule's
 * kind, and a number of occurrences must end by 2100.
 */
async function toInput(
  c: Context<AppEnv>,
  form: Form,
): Promise<{ input: RecurringRuleInput } | { errors: FieldErrors }> {
  const categories = await listCategories(c.get("deps").db, currentUser(c).id);
  const chosen = categories.find((cat) => cat.id === form.categoryId);
  if (!chosen || chosen.kind !== form.kind) {
    const names = categories.filter((cat) => cat.kind === form.kind).map((cat) => cat.name);
    return {
      errors: { categoryId: `Choose one of your ${form.kind} categories: ${names.join(", ")}` },
    };
  }
  const input = normalise(toRuleInput(form));
  if (input.occurrenceLimit !== null && (input.endsOn ?? "") > LAST_END) {
    return {
      errors: {
        occurrences: `${input.occurrenceLimit} occurrences would run past 2100: choose fewer, or an end date`,
      },
    };
  }
  return { input };
}

/** The form's values for a stored rule (or, for a new one, today's weekday and day). */
function ruleValues(
  r: Pick<
    RecurringRuleInput,
    "weekday" | "monthDay" | "startsOn" | "endsOn" | "occurrenceLimit" | "frequency" | "every"
  >,
): FormValues {
  const day = r.monthDay ?? Number(r.startsOn.slice(8));
  return {
    frequency: r.frequency,
    every: String(r.every),
    weekday: String(r.weekday ?? isoWeekday(r.startsOn)),
    monthDay: day === LAST_DAY ? "last" : String(day),
    startsOn: r.startsOn,
    ends: r.occurrenceLimit !== null ? "after" : r.endsOn ? "on" : "never",
    endsOn: r.occurrenceLimit === null ? (r.endsOn ?? "") : "",
    occurrences: r.occurrenceLimit === null ? "" : String(r.occurrenceLimit),
  };
}

export function recurringEditRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/recurring/new", async (c) => {
    const kind = kindOf(c.req.query("kind"));
    const values: FormValues = {
      kind,
      categoryId: await preselect(c, kind),
      ...ruleValues({
        frequency: "monthly",
        every: 1,
        weekday: null,
        monthDay: null,
        startsOn: today(c),
        endsOn: null,
        occurrenceLimit: null,
      }),
      _key: newKey(),
    };
    return formPage(c, addMode, values, {});
  });

  app.post(
    "/recurring",
    validFormIn(recurringForm, recurringFormIn, (c, v, e) => formPage(c, addMode, v, e, 422)),
    async (c) => {
      const form = c.req.valid("form");
      const values = formValues(await c.req.parseBody());
      if (form.past === "back") return formPage(c, addMode, values, {});
      const result = await toInput(c, form);
      if ("errors" in result) return formPage(c, addMode, values, result.errors, 422);
      const { input } = result;
      const day = today(c);
      const past = pastOccurrences(scheduleOf(input), day);
      if (past.dates.length > 0 && form.past === undefined) {
        return page(
          c,
          "Past occurrences",
          <div class="row justify-content-center">
            <div class="col-md-8">
              <Card title="Create the past occurrences?">
                <PastChoice
                  c={c}
                  values={values}
                  summary={describeSchedule(scheduleOf(input))}
                  dates={past.dates}
                  olderSkipped={past.olderSkipped}
                />
              </Card>
            </div>
          </div>,
        );
      }
      const createPast = form.past === "create" && past.dates.length > 0;
      const answer = await submitOnce(c, async (tx) => {
        const rule = await createRecurringRule(tx, currentUser(c).id, input, {
          today: day,
          createPast,
        });
        const next = rule.nextOccurrenceOn;
        return {
          location: "/recurring",
          flash: createPast
            ? `Added “${input.title}”; its ${past.dates.length} past occurrence${past.dates.length === 1 ? "" : "s"} appear within a minute.`
            : next
              ? `Added “${input.title}”: the first occurrence is on ${next}.`
              : `Added “${input.title}”; its schedule has no date left.`,
        };
      });
      // The worker, not this request, creates what is due; it is only asked to look now.
      c.get("deps").wakeRecurring?.();
      return answer;
    },
  );

  app.get("/recurring/:id/edit", async (c) => {
    const id = pathId(c);
    const r = id && (await getRecurringRule(c.get("deps").db, currentUser(c).id, id));
    if (!r) return c.notFound();
    const kind = kindOf(c.req.query("kind") ?? r.kind);
    const values: FormValues = {
      kind,
      title: r.title,
      amount: centsToDecimal(r.amountCents, currentUser(c).numberFormat),
      categoryId: kind === r.kind ? String(r.categoryId) : await preselect(c, kind),
      notes: r.notes ?? "",
      paymentMethod: r.paymentMethod ?? "",
      ...ruleValues(r),
    };
    return formPage(c, editMode(r.id), values, {});
  });

  app.post(
    "/recurring/:id",
    async (c, next) => {
      const id = pathId(c);
      const r = id && (await getRecurringRule(c.get("deps").db, currentUser(c).id, id));
      return r ? next() : c.notFound();
    },
    validFormIn(recurringForm, recurringFormIn, (c, v, e) =>
      formPage(c, editMode(pathId(c) ?? 0), v, e, 422),
    ),
    async (c) => {
      const id = pathId(c) as number;
      const result = await toInput(c, c.req.valid("form"));
      if ("errors" in result) {
        const values = formValues(await c.req.parseBody());
        return formPage(c, editMode(id), values, result.errors, 422);
      }
      const { db } = c.get("deps");
      const user = currentUser(c);
      if (!(await updateRecurringRule(db, user.id, id, result.input, today(c)))) {
        return c.notFound();
      }
      const saved = await getRecurringRule(db, user.id, id);
      const next = saved?.pausedAt ? undefined : saved?.nextOccurrenceOn;
      await flash(
        c,
        next ? `Saved “${result.input.title}”: next on ${next}.` : `Saved “${result.input.title}”.`,
      );
      c.get("deps").wakeRecurring?.();
      return c.redirect("/recurring", 303);
    },
  );

  return app;
}
