import type { Context } from "hono";
import type { Category, TransactionKind } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { DEFAULT_NUMBER_FORMAT } from "../lib/money.ts";
import { AmountField } from "./amount-field.tsx";
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
import { categoryOptions, KIND_OPTIONS } from "./transactions.tsx";

interface TransactionFormProps {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  /** The chosen kind's categories only. */
  categories: Category[];
  submit: string;
  /** This page for the other kind: the tabs link to it. */
  kindHref: (kind: TransactionKind) => string;
  /** The list to return to on cancel. */
  back: string;
  /** The delete page, when the form edits a transaction. */
  deleteHref?: string | undefined;
}

export function TransactionForm(p: TransactionFormProps) {
  const { values, errors } = p;
  return (
    <form method="post" action={p.action} novalidate>
      <CsrfField c={p.c} />
      <KeyField values={values} />
      <FormAlert errors={errors} />
      <KindTabs kind={values.kind} error={errors.kind} href={p.kindHref} />
      <div class="row">
        <WhatFields c={p.c} values={values} errors={errors} categories={p.categories} />
        <div class="col-md-4">
          <Field
            name="occurredOn"
            label="Date"
            type="date"
            required
            values={values}
            errors={errors}
          />
        </div>
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
        <div class="col-md-8">
          <Field
            name="notes"
            label="Notes (optional)"
            maxlength={2000}
            values={values}
            errors={errors}
          />
        </div>
      </div>
      <button class="btn btn-primary" type="submit">
        {p.submit}
      </button>{" "}
      <a class="btn btn-link" href={p.back}>
        Cancel
      </a>
      {p.deleteHref ? (
        <a class="btn btn-outline-danger float-end" href={p.deleteHref}>
          Delete
        </a>
      ) : null}
    </form>
  );
}

/** The kind as tabs (each a link to the form for that kind), with the kind's hidden field. */
export function KindTabs(p: {
  kind: string | undefined;
  error: string | undefined;
  href: (kind: TransactionKind) => string;
}) {
  return (
    <>
      <input type="hidden" name="kind" value={p.kind} />
      <nav aria-label="Kind">
        <ul class="nav nav-pills mb-3">
          {KIND_OPTIONS.map((k) => (
            <li class="nav-item">
              <a
                class={`nav-link${k.value === p.kind ? " active" : ""}`}
                aria-current={k.value === p.kind ? "page" : undefined}
                href={p.href(k.value)}
              >
                {k.label}
              </a>
            </li>
          ))}
        </ul>
        <FieldError id="f-kind-error" error={p.error} />
      </nav>
    </>
  );
}

/**
 * The title, amount and category of a transaction or a recurring rule (columns of a `.row`); the
 * amount in the signed-in user's currency and number format.
 */
export function WhatFields(p: {
  c: Context<AppEnv>;
  values: FormValues;
  errors: FieldErrors;
  categories: Category[];
}) {
  const user = p.c.get("user");
  return (
    <>
      <div class="col-md-12">
        <Field
          name="title"
          label="Title"
          required
          maxlength={200}
          values={p.values}
          errors={p.errors}
        />
      </div>
      <div class="col-md-4">
        <AmountField
          values={p.values}
          errors={p.errors}
          currency={user?.currency ?? "USD"}
          format={user?.numberFormat ?? DEFAULT_NUMBER_FORMAT}
        />
      </div>
      <div class="col-md-4">
        <Select
          name="categoryId"
          label="Category"
          options={categoryOptions(p.categories)}
          values={p.values}
          errors={p.errors}
        />
      </div>
    </>
  );
}
