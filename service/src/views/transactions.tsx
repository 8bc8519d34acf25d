import type { Totals, TransactionRow } from "../data/transactions.ts";
import type { Category } from "../db/schema.ts";
import { formatMoney } from "../lib/money.ts";
import { Field, type FieldErrors, type FormValues, Select } from "./form.tsx";

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

export function FilterForm(p: { values: FormValues; errors: FieldErrors; categories: Category[] }) {
  const { values, errors } = p;
  return (
    <form method="get" action="/transactions" class="card card-body shadow-sm mb-3" novalidate>
      {values.import ? <input type="hidden" name="import" value={values.import} /> : null}
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
    </form>
  );
}

export function TotalsBar({ totals, currency }: { totals: Totals; currency: string }) {
  return (
    <section class="row g-2 mb-3 text-center" aria-label="Totals of the filtered transactions">
      <div class="col">
        <div class="card card-body py-2">
          <div class="small text-body-secondary">Income</div>
          <div class="fw-semibold text-success" data-total="income">
            {formatMoney(totals.incomeCents, currency)}
          </div>
        </div>
      </div>
      <div class="col">
        <div class="card card-body py-2">
          <div class="small text-body-secondary">Expense</div>
          <div class="fw-semibold text-danger" data-total="expense">
            {formatMoney(totals.expenseCents, currency)}
          </div>
        </div>
      </div>
      <div class="col">
        <div class="card card-body py-2">
          <div class="small text-body-secondary">Net</div>
          <div class="fw-semibold" data-total="net">
            {formatMoney(totals.netCents, currency)}
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
      class="d-flex flex-wrap gap-2 align-items-center mb-2"
    >
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="back" value={p.back} />
      <label class="form-label mb-0" for="bulk-category">
        Move the ticked rows to
      </label>
      <select class="form-select form-select-sm w-auto" id="bulk-category" name="categoryId">
        {categoryOptions(p.categories).map((o) => (
          <option value={o.value}>{o.label}</option>
        ))}
      </select>
      <button class="btn btn-sm btn-outline-primary" type="submit">
        Recategorise
      </button>
    </form>
  );
}

export function TransactionTable({ rows, currency }: { rows: TransactionRow[]; currency: string }) {
  return (
    <div class="table-responsive">
      <table class="table table-hover align-middle bg-white shadow-sm">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Title</th>
            <th scope="col">Category</th>
            <th scope="col">Payment</th>
            <th scope="col" class="text-end">
              Amount
            </th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
            <th scope="col">
              <span class="visually-hidden">Tick to recategorise</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr data-id={t.id}>
              <td class="text-nowrap">{t.occurredOn}</td>
              <td>
                {t.title}
                {t.notes && <div class="small text-body-secondary text-truncate">{t.notes}</div>}
              </td>
              <td>{t.categoryName}</td>
              <td>{t.paymentMethod ?? ""}</td>
              <td class={`text-end text-nowrap ${t.kind === "income" ? "text-success" : ""}`}>
                {t.kind === "income" ? "+" : "−"}
                {formatMoney(t.amountCents, currency)}
              </td>
              <td class="text-end text-nowrap">
                <a class="btn btn-sm btn-outline-primary" href={`/transactions/${t.id}/edit`}>
                  Edit
                </a>{" "}
                <a class="btn btn-sm btn-outline-danger" href={`/transactions/${t.id}/delete`}>
                  Delete
                </a>
              </td>
              <td>
                <input
                  class="form-check-input"
                  type="checkbox"
                  name="ids"
                  value={String(t.id)}
                  form={BULK_FORM}
                  aria-label={`Tick ${t.title} (${t.occurredOn})`}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pagination(p: { page: number; pages: number; query: URLSearchParams }) {
  if (p.pages <= 1 && p.page <= 1) return null;
  const href = (n: number) => {
    const q = new URLSearchParams(p.query);
    if (n === 1) q.delete("page");
    else q.set("page", String(n));
    const s = q.toString();
    return s ? `/transactions?${s}` : "/transactions";
  };
  return (
    <nav aria-label="Pages">
      <ul class="pagination justify-content-center">
        <li class={`page-item${p.page <= 1 ? " disabled" : ""}`}>
          <a class="page-link" href={href(p.page - 1)} rel="prev">
            Previous
          </a>
        </li>
        <li class="page-item disabled">
          <span class="page-link">
            Page {p.page} of {Math.max(p.pages, 1)}
          </span>
        </li>
        <li class={`page-item${p.page >= p.pages ? " disabled" : ""}`}>
          <a class="page-link" href={href(p.page + 1)} rel="next">
            Next
          </a>
        </li>
      </ul>
    </nav>
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
