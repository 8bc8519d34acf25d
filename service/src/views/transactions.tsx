import type { Totals } from "../data/transactions.ts";
import type { Category } from "../db/schema.ts";
import type { MoneyFormatters } from "../lib/money.ts";
import { Field, type FieldErrors, type FormValues, Options, Select } from "./form.tsx";

export const KIND_OPTIONS = [
  { value: "expense", label: "Expense" },
  { value: "income", label: "Income" },
] as const;

/** Options for a category select; with both kinds, income categories say so. */
export const categoryOptions = (cats: Category[]) => {
  const mixed = new Set(cats.map((c) => c.kind)).size > 1;
  return cats.map((c) => ({
    value: String(c.id),
    label: mixed && c.kind === "income" ? `${c.name} (income)` : c.name,
  }));
};

/**
 * The filters. On phones they fold away behind a button (open while one of them is wrong); the
 * sort rides along in a hidden field.
 */
export function FilterForm(p: {
  values: FormValues;
  errors: FieldErrors;
  categories: Category[];
  active?: number;
}) {
  const { errors } = p;
  const open = Object.keys(errors).length > 0;
  return (
    <>
      <button
        class="btn btn-outline-secondary btn-sm mb-2 d-sm-none"
        type="button"
        data-bs-toggle="collapse"
        data-bs-target="#filters"
        aria-expanded={open ? "true" : "false"}
        aria-controls="filters"
      >
        Filters{p.active ? ` (${p.active})` : ""}
      </button>
      <div class={`collapse d-sm-block${open ? " show" : ""}`} id="filters">
        <FilterFields {...p} />
      </div>
    </>
  );
}

function FilterFields(p: { values: FormValues; errors: FieldErrors; categories: Category[] }) {
  const { values, errors } = p;
  return (
    <form method="get" action="/transactions" class="card card-body mb-3" novalidate>
      {values.import ? <input type="hidden" name="import" value={values.import} /> : null}
      {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
      <div class="row g-2 align-items-end">
        <div class="col-6 col-md-2">
          <Field name="from" label="From" type="date" values={values} errors={errors} />
        </div>
        <div class="col-6 col-md-2">
          <Field name="to" label="To" type="date" values={values} errors={errors} />
        </div>
        <div class="col-6 col-md-2">
          <Select
            name="category"
            label="Category"
            blank="All"
            options={categoryOptions(p.categories)}
            values={values}
            errors={errors}
          />
        </div>
        <div class="col-6 col-md-2">
          <Select
            name="kind"
            label="Kind"
            blank="All"
            options={KIND_OPTIONS}
            values={values}
            errors={errors}
          />
        </div>
        <div class="col-8 col-md-2">
          <Field
            name="q"
            label="Search"
            type="search"
            placeholder="Title or notes"
            values={values}
            errors={errors}
          />
        </div>
        <div class="col-4 col-md-2 mb-3 d-flex gap-1">
          <button class="btn btn-primary flex-fill" type="submit">
            Filter
          </button>
          <a
            class="btn btn-outline-secondary"
            href="/transactions"
            title="Clear filters"
            aria-label="Clear filters"
          >
            ×
          </a>
        </div>
      </div>
      {errors.page && <div class="text-danger small">{errors.page}</div>}
      {errors.sort && <div class="text-danger small">{errors.sort}</div>}
    </form>
  );
}

/** One removable chip per filter in use: what the list is narrowed to, at a glance. */
export function FilterChips(p: { chips: { label: string; href: string }[] }) {
  if (p.chips.length === 0) return null;
  return (
    <ul class="list-inline mb-2" aria-label="Filters in use">
      {p.chips.map((chip) => (
        <li class="list-inline-item mb-1">
          <a class="badge rounded-pill text-bg-secondary text-decoration-none" href={chip.href}>
            {chip.label} <span aria-hidden="true">×</span>
            <span class="visually-hidden">, remove this filter</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function TotalsBar({ totals, money }: { totals: Totals; money: MoneyFormatters }) {
  return (
    <section class="row g-2 mb-3 text-center" aria-label="Totals of the filtered transactions">
      <div class="col">
        <div class="card card-body py-2">
          <div class="small text-body-secondary">Income</div>
          <div class="fw-semibold text-success" data-total="income">
            {money.amount(totals.incomeCents)}
          </div>
        </div>
      </div>
      <div class="col">
        <div class="card card-body py-2">
          <div class="small text-body-secondary">Expense</div>
          <div class="fw-semibold text-danger" data-total="expense">
            {money.amount(totals.expenseCents)}
          </div>
        </div>
      </div>
      <div class="col">
        <div class="card card-body py-2">
          <div class="small text-body-secondary">Net</div>
          <div class="fw-semibold" data-total="net">
            {money.amount(totals.netCents)}
          </div>
        </div>
      </div>
    </section>
  );
}

/** The form the list's ticked rows are sent with (its checkboxes name it with `form=`). */
export const BULK_FORM = "recategorise";

/** Moves the rows ticked in the table below to one category. */
export function RecategoriseForm(p: { categories: Category[]; back: string; csrf: string }) {
  return (
    <form
      id={BULK_FORM}
      method="post"
      action="/transactions/recategorise"
      class="d-none d-sm-flex flex-wrap gap-2 align-items-center mb-2"
    >
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="back" value={p.back} />
      <label class="form-label mb-0" for="bulk-category">
        Move the ticked rows to
      </label>
      <select class="form-select form-select-sm w-auto" id="bulk-category" name="categoryId">
        <Options options={categoryOptions(p.categories)} />
      </select>
      <button class="btn btn-sm btn-outline-primary" type="submit">
        Recategorise
      </button>
    </form>
  );
}

export function EmptyState({ filtered }: { filtered: boolean }) {
  return (
    <div class="text-center text-body-secondary py-5 card card-body">
      {filtered ? (
        <p class="mb-0">
          No transactions match these filters. <a href="/transactions">Show all</a>
        </p>
      ) : (
        <>
          <p>No transactions yet.</p>
          <p class="mb-0">
            <a class="btn btn-primary" href="/transactions/new">
              Add your first transaction
            </a>
          </p>
        </>
      )}
    </div>
  );
}
