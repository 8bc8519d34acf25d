import type { Context } from "hono";
import type { Category } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { Field, type FieldErrors, FormAlert, type FormValues, KeyField, Select } from "./form.tsx";
import { CsrfField } from "./layout.tsx";
import { categoryOptions, KIND_OPTIONS } from "./transactions.tsx";

interface TransactionFormProps {
  c: Context<AppEnv>;
  action: string;
  values: FormValues;
  errors: FieldErrors;
  categories: Category[];
  submit: string;
}

export function TransactionForm(p: TransactionFormProps) {
  const { values, errors } = p;
  return (
    <form method="post" action={p.action} novalidate>
      <CsrfField c={p.c} />
      <KeyField values={values} />
      <FormAlert errors={errors} />
      <div class="row">
        <div class="col-md-4">
          <Select name="kind" label="Kind" options={KIND_OPTIONS} values={values} errors={errors} />
        </div>
        <div class="col-md-8">
          <Field
            name="title"
            label="Title"
            required
            maxlength={200}
            values={values}
            errors={errors}
          />
        </div>
        <div class="col-md-4">
          <Field
            name="amount"
            label="Amount"
            required
            inputmode="decimal"
            placeholder="12.50"
            help="Above 0, with a dot and at most 2 decimals."
            values={values}
            errors={errors}
          />
        </div>
        <div class="col-md-4">
          <Select
            name="categoryId"
            label="Category"
            options={categoryOptions(p.categories)}
            values={values}
            errors={errors}
          />
        </div>
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
      <a class="btn btn-link" href="/">
        Cancel
      </a>
    </form>
  );
}
