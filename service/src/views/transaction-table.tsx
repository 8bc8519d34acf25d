// The list's table, its sort controls, its pages and its month links. Every link keeps the list's
// other query parameters, and each row's actions carry the list's URL back (`back`).
import { raw } from "hono/html";
import type { TransactionRow, TransactionSort } from "../data/transactions.ts";
import type { DateFormat } from "../db/schema.ts";
import { formatDate } from "../lib/dates.ts";
import { escapeHtml } from "../lib/escape.ts";
import type { MoneyFormatters } from "../lib/money.ts";
import { type Period, periodName } from "../lib/periods.ts";
import { withBack } from "../lib/safe-path.ts";

/** The list's URL with `changes` applied to its query (undefined removes a parameter). */
export function listHref(query: URLSearchParams, changes: Record<string, string | undefined>) {
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `/transactions?${s}` : "/transactions";
}

type Column = "date" | "amount" | "title";
/** The direction a column sorts in when first chosen: newest, largest, A to Z. */
const FIRST: Record<Column, "asc" | "desc"> = { date: "desc", amount: "desc", title: "asc" };

/** A column's header: a link that sorts by it, or reverses it when it is the sort already. */
function SortHeader(p: {
  column: Column;
  label: string;
  sort: TransactionSort;
  query: URLSearchParams;
  end?: boolean;
}) {
  const [column, direction] = p.sort.split("-") as [Column, "asc" | "desc"];
  const active = column === p.column;
  const next = active ? (direction === "asc" ? "desc" : "asc") : FIRST[p.column];
  const sort = `${p.column}-${next}`;
  const href = listHref(p.query, {
    sort: sort === "date-desc" ? undefined : sort,
    page: undefined,
  });
  const arrow = active ? (direction === "asc" ? " ↑" : " ↓") : "";
  return (
    <th
      scope="col"
      class={p.end ? "text-end" : undefined}
      aria-sort={active ? (direction === "asc" ? "ascending" : "descending") : undefined}
    >
      <a class="link-body-emphasis text-decoration-none" href={href}>
        {p.label}
        {arrow}
        <span class="visually-hidden">
          {`, sort ${next === "asc" ? "ascending" : "descending"}`}
        </span>
      </a>
    </th>
  );
}

const SORT_LABELS: Record<TransactionSort, string> = {
  "date-desc": "Newest first",
  "date-asc": "Oldest first",
  "amount-desc": "Largest amount first",
  "amount-asc": "Smallest amount first",
  "title-asc": "Title A to Z",
  "title-desc": "Title Z to A",
};

/** On phones, where the table has no header row: the sort as a small form. */
export function SortSelect(p: { sort: TransactionSort; query: URLSearchParams }) {
  const kept = [...p.query].filter(([k]) => k !== "sort" && k !== "page");
  return (
    <form method="get" action="/transactions" class="d-flex gap-2 mb-2 d-sm-none">
      {kept.map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <label class="visually-hidden" for="sort-phone">
        Sort
      </label>
      <select class="form-select form-select-sm" id="sort-phone" name="sort">
        {Object.entries(SORT_LABELS).map(([value, label]) => (
          <option value={value} selected={value === p.sort}>
            {label}
          </option>
        ))}
      </select>
      <button class="btn btn-sm btn-outline-secondary" type="submit">
        Sort
      </button>
    </form>
  );
}

export function TransactionTable(p: {
  rows: TransactionRow[];
  money: MoneyFormatters;
  dateFormat: DateFormat;
  sort: TransactionSort;
  query: URLSearchParams;
  /** This list's URL, which each row's edit and delete pages return to. */
  back: string;
  /** The form the row checkboxes belong to. */
  bulkForm: string;
}) {
  const head = { sort: p.sort, query: p.query };
  // The same return address on every row: encoded once, not twice a row.
  const back = withBack("", p.back);
  return (
    <div class="table-responsive">
      <table class="table table-hover align-middle et-tx-table">
        <thead>
          <tr>
            <SortHeader column="date" label="Date" {...head} />
            <SortHeader column="title" label="Title" {...head} />
            <th scope="col">Category</th>
            <th scope="col">Payment</th>
            <SortHeader column="amount" label="Amount" end {...head} />
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
            <th scope="col">
              <span class="visually-hidden">Tick to recategorise</span>
            </th>
          </tr>
        </thead>
        <tbody>{p.rows.map((t) => row(t, p.money, p.dateFormat, back, p.bulkForm))}</tbody>
      </table>
    </div>
  );
}

/**
 * One row of the table. A string rather than JSX: a page holds fifty of these, twenty elements
 * each, and hono/jsx builds and walks a node per element, half of a list page's rendering time.
 * Every value is escaped, as JSX does; the title, shown four times, once.
 */
function row(
  t: TransactionRow,
  money: MoneyFormatters,
  dateFormat: DateFormat,
  back: string,
  bulkForm: string,
) {
  const edit = escapeHtml(`/transactions/${t.id}/edit${back}`);
  const income = t.kind === "income";
  const date = escapeHtml(formatDate(t.occurredOn, dateFormat));
  const title = escapeHtml(t.title);
  const notes = t.notes
    ? `<div class="small text-body-secondary text-truncate">${escapeHtml(t.notes)}</div>`
    : "";
  const amount = escapeHtml(money.signed(income ? t.amountCents : -t.amountCents));
  return raw(
    `<tr data-id="${t.id}"><td class="et-tx-date text-nowrap"><time datetime="${escapeHtml(t.occurredOn)}">${date}</time></td><td class="et-tx-title"><a class="link-body-emphasis text-decoration-none" href="${edit}">${title}</a>${notes}</td><td class="et-tx-category">${escapeHtml(t.categoryName)}</td><td class="et-tx-payment">${escapeHtml(t.paymentMethod ?? "")}</td><td class="et-tx-amount amount text-end text-nowrap${income ? " text-success" : ""}"><span class="visually-hidden">${income ? "Income " : "Expense "}</span>${amount}</td><td class="et-tx-actions text-end text-nowrap"><a class="btn btn-sm btn-outline-primary" href="${edit}">Edit<span class="visually-hidden"> ${title}</span></a> <a class="btn btn-sm btn-outline-danger" href="${escapeHtml(`/transactions/${t.id}/delete${back}`)}">Delete<span class="visually-hidden"> ${title}</span></a></td><td class="et-tx-tick"><input class="form-check-input" type="checkbox" name="ids" value="${t.id}" form="${escapeHtml(bulkForm)}" aria-label="Tick ${title} (${date})"/></td></tr>`,
  );
}

export function Pagination(p: { page: number; pages: number; query: URLSearchParams }) {
  if (p.pages <= 1 && p.page <= 1) return null;
  const href = (n: number) => listHref(p.query, { page: n === 1 ? undefined : String(n) });
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

/** When the list is filtered to one of the user's months: links to the months either side. */
export function MonthNav(p: {
  month: Period;
  previous: Period;
  next: Period;
  query: URLSearchParams;
}) {
  const href = (m: Period) => listHref(p.query, { from: m.from, to: m.to, page: undefined });
  return (
    <nav class="d-flex justify-content-between align-items-center mb-2" aria-label="Months">
      <a class="btn btn-sm btn-outline-secondary" href={href(p.previous)} rel="prev">
        ← {periodName(p.previous)}
      </a>
      <span class="fw-semibold">{periodName(p.month)}</span>
      <a class="btn btn-sm btn-outline-secondary" href={href(p.next)} rel="next">
        {periodName(p.next)} →
      </a>
    </nav>
  );
}
