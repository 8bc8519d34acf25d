// The add and edit form of a recurring rule, and the question a new rule starting in the past
// asks: create the occurrences already past, or start from today.
import type { Context } from "hono";
import type { Category, TransactionKind } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { ordinal, WEEKDAY_NAMES } from "../lib/recurrence.ts";
import {
  Field,
  FieldError,
  type FieldErrors,
  FormAlert,
  type FormValues,
  KeyField,
  Select,
} from "./form.tsx";
import { CsrfField } from "./layout.tsx";
import { KindTabs, WhatFields } from "./transaction-form.tsx";

const FREQUENCY_OPTIONS = [
  { value: "weekly", label: "Weeks" },
  { value: "monthly", label: "Months" },
  { value: "yearly", label: "Years" },
];
const WEEKDAY_OPTIONS = WEEKDAY_NAMES.map((name, i) => ({ value: String(i + 1), label: name }));
const MONTH_DAY_OPTIONS = [
  ...Array.from({ length: 31 }, (_, i) => ({
    value: String(i + 1),
    label: i + 1 > 28 ? `${ordinal(i + 1)} (or the month's last day)` : ordinal(i + 1),
  })),
  { value: "last", label: "The last day" },
];

interface RecurringFormProps {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  /** The chosen kind's categories only. */
  categories: Category[];
  submit: string;
  kindHref: (kind: TransactionKind) => string;
  /** Editing: say that only what is to come changes. */
  editing: boolean;
}

export function RecurringForm(p: RecurringFormProps) {
  const { values, errors } = p;
  const ends = values.ends ?? "never";
  return (
    <form method="post" action={p.action} novalidate>
      <CsrfField c={p.c} />
      <KeyField values={values} />
      <FormAlert errors={errors} />
      {p.editing && (
        <p class="alert alert-info py-2">
          Changes apply to the occurrences still to come; those already created stay as they are.
        </p>
      )}
      <KindTabs kind={values.kind} error={errors.kind} href={p.kindHref} />
      <div class="row">
        <WhatFields c={p.c} values={values} errors={errors} categories={p.categories} />
        <div class="col-md-4">
          <Field
            name="paymentMethod"
            label="Payment method (optional)"
            maxlength={50}
            placeholder="Card, cash…"
            values={values}
            errors={errors}
          />
        </div>
      </div>
      <fieldset class="border rounded p-3 mb-3">
        <legend class="float-none w-auto px-2 fs-6 mb-0">Schedule</legend>
        <div class="row">
          <div class="col-6 col-md-2">
            <Field
              name="every"
              label="Every"
              type="number"
              required
              inputmode="numeric"
              values={values}
              errors={errors}
            />
          </div>
          <div class="col-6 col-md-2">
            <Select
              name="frequency"
              label="Weeks, months or years"
              options={FREQUENCY_OPTIONS}
              values={values}
              errors={errors}
            />
          </div>
          <div class="col-md-4">
            <Field
              name="startsOn"
              label="Starting on"
              type="date"
              required
              help="A yearly rule repeats this day and month."
              values={values}
              errors={errors}
            />
          </div>
          <div class="col-md-2">
            <Select
              name="weekday"
              label="On (weekly)"
              options={WEEKDAY_OPTIONS}
              values={values}
              errors={errors}
            />
          </div>
          <div class="col-md-2">
            <Select
              name="monthDay"
              label="On day (monthly)"
              options={MONTH_DAY_OPTIONS}
              values={values}
              errors={errors}
            />
          </div>
        </div>
        <div class="mb-1" role="radiogroup" aria-labelledby="f-ends-label">
          <div id="f-ends-label" class="form-label">
            Ends
          </div>
          <div class="form-check">
            <input
              class="form-check-input"
              type="radio"
              name="ends"
              id="f-ends-never"
              value="never"
              checked={ends === "never"}
            />
            <label class="form-check-label" for="f-ends-never">
              Never
            </label>
          </div>
          <div class="form-check d-flex flex-wrap align-items-center gap-2">
            <input
              class="form-check-input"
              type="radio"
              name="ends"
              id="f-ends-on"
              value="on"
              checked={ends === "on"}
            />
            <label class="form-check-label" for="f-ends-on">
              On the date
            </label>
            <input
              class={`form-control form-control-sm w-auto${errors.endsOn ? " is-invalid" : ""}`}
              type="date"
              name="endsOn"
              aria-label="End date"
              value={values.endsOn ?? ""}
            />
          </div>
          <FieldError id="f-endsOn-error" error={errors.endsOn} />
          <div class="form-check d-flex flex-wrap align-items-center gap-2">
            <input
              class="form-check-input"
              type="radio"
              name="ends"
              id="f-ends-after"
              value="after"
              checked={ends === "after"}
            />
            <label class="form-check-label" for="f-ends-after">
              After
            </label>
            <input
              class={`form-control form-control-sm w-auto${errors.occurrences ? " is-invalid" : ""}`}
              type="number"
              name="occurrences"
              inputmode="numeric"
              aria-label="Number of occurrences"
              value={values.occurrences ?? ""}
            />
            <span>occurrences</span>
          </div>
          <FieldError id="f-occurrences-error" error={errors.occurrences} />
          <FieldError id="f-ends-error" error={errors.ends} />
        </div>
      </fieldset>
      <Field
        name="notes"
        label="Notes (optional)"
        maxlength={2000}
        values={values}
        errors={errors}
      />
      <button class="btn btn-primary" type="submit">
        {p.submit}
      </button>{" "}
      <a class="btn btn-link" href="/recurring">
        Cancel
      </a>
    </form>
  );
}

/**
 * The question for a new rule whose start date is past: the form's fields ride along hidden,
 * and each button sends them with the answer.
 */
export function PastChoice(p: {
  c: Context<AppEnv>;
  values: FormValues;
  summary: string;
  dates: string[];
  olderSkipped: boolean;
}) {
  const n = p.dates.length;
  const hidden = Object.entries(p.values).filter(([k]) => k !== "past" && k !== "_csrf");
  return (
    <form method="post" action="/recurring">
      <CsrfField c={p.c} />
      {hidden.map(([name, value]) => (
        <input type="hidden" name={name} value={value ?? ""} />
      ))}
      <p>
        <strong>{p.values.title}</strong> · {p.summary}
      </p>
      <p>
        It starts in the past: {n} occurrence{n === 1 ? "" : "s"} fell due before today, from{" "}
        {p.dates[0]} to {p.dates.at(-1)}.
        {p.olderSkipped
          ? " Those more than a year old are left out: at most one year back is created."
          : ""}
      </p>
      <div class="d-flex flex-wrap gap-2">
        <button class="btn btn-primary" type="submit" name="past" value="create">
          Create the {n} past occurrence{n === 1 ? "" : "s"}
        </button>
        <button class="btn btn-outline-primary" type="submit" name="past" value="skip">
          Skip them: start from today
        </button>
        <button class="btn btn-link" type="submit" name="past" value="back">
          Change the rule
        </button>
      </div>
    </form>
  );
}
