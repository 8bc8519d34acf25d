import type { Context } from "hono";
import { Hono } from "hono";
import { listCategories } from "../data/categories.ts";
import {
  listTransactions,
  PAGE_SIZE,
  type TransactionFilter,
  totalTransactions,
} from "../data/transactions.ts";
import type { Category, User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { moneyFor } from "../lib/money.ts";
import { monthOf, monthPeriod, shift } from "../lib/periods.ts";
import { withBack } from "../lib/safe-path.ts";
import { fieldErrors, filterQuery, formValues } from "../validation.ts";
import { page } from "../views/layout.tsx";
import {
  listHref,
  MonthNav,
  Pagination,
  SortSelect,
  TransactionTable,
} from "../views/transaction-table.tsx";
import {
  BULK_FORM,
  EmptyState,
  FilterChips,
  FilterForm,
  RecategoriseForm,
  TotalsBar,
} from "../views/transactions.tsx";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;

/** The export of what the list shows: the same filters, every page. */
function exportHref(url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  query.delete("page");
  query.delete("sort");
  const s = query.toString();
  return `/transactions/export.csv${s ? `?${s}` : ""}`;
}

/** A chip for each filter in use, each linking to the list without it. */
function filterChips(query: URLSearchParams, categories: Category[]) {
  const label = (key: string, value: string): string | undefined => {
    switch (key) {
      case "from":
        return `From ${value}`;
      case "to":
        return `To ${value}`;
      case "category":
        return `Category: ${categories.find((c) => String(c.id) === value)?.name ?? value}`;
      case "kind":
        return value === "income" ? "Income only" : "Expenses only";
      case "q":
        return `Search: “${value}”`;
      case "import":
        return `Import #${value}`;
      default:
        return undefined;
    }
  };
  return [...query]
    .map(([key, value]) => ({ key, text: value ? label(key, value) : undefined }))
    .filter((chip): chip is { key: string; text: string } => chip.text !== undefined)
    .map((chip) => ({
      label: chip.text,
      href: listHref(query, { [chip.key]: undefined, page: undefined }),
    }));
}

export function transactionRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/transactions", async (c) => {
    const user = currentUser(c);
    const { db } = c.get("deps");
    // Asked for at once with the rows and totals below; every answer needs them.
    const categoriesQuery = listCategories(db, user.id);
    const url = new URL(c.req.url);
    const values = formValues(Object.fromEntries(url.searchParams));
    const parsed = filterQuery.safeParse(Object.fromEntries(url.searchParams));
    // Where adding, editing and deleting come back to: this very list.
    const back = `${url.pathname}${url.search}`;
    const header = (
      <div class="d-flex flex-wrap gap-2 justify-content-between align-items-center mb-3">
        <h1 class="h3 mb-0">Transactions</h1>
        <div class="d-flex gap-2">
          <a class="btn btn-outline-secondary" href={exportHref(url)}>
            Export CSV
          </a>
          <a class="btn btn-primary" href={withBack("/transactions/new", back)}>
            Add transaction
          </a>
        </div>
      </div>
    );
    if (!parsed.success) {
      const categories = await categoriesQuery;
      return page(
        c,
        "Transactions",
        <>
          {header}
          <FilterForm values={values} errors={fieldErrors(parsed.error)} categories={categories} />
        </>,
        422,
      );
    }
    const f = parsed.data;
    const filter: TransactionFilter = {
      from: f.from,
      to: f.to,
      categoryId: f.category,
      kind: f.kind,
      q: f.q,
      importId: f.import,
    };
    const [categories, rows, totals] = await Promise.all([
      categoriesQuery,
      listTransactions(db, user.id, filter, f.page, f.sort),
      totalTransactions(db, user.id, filter),
    ]);
    const pages = Math.ceil(totals.count / PAGE_SIZE);
    const query = url.searchParams;
    const chips = filterChips(query, categories);
    const money = moneyFor(user);
    const startDay = user.monthStartDay;
    const month = f.from ? monthPeriod(monthOf(f.from, startDay), startDay) : undefined;
    const wholeMonth = month && month.from === f.from && month.to === f.to ? month : undefined;
    return page(
      c,
      "Transactions",
      <>
        {header}
        <FilterForm values={values} errors={{}} categories={categories} active={chips.length} />
        <FilterChips chips={chips} />
        {f.import ? (
          <p class="alert alert-info py-2">
            Showing only the rows of import #{f.import}.{" "}
            <a href="/transactions">Show every transaction</a> · <a href="/imports">Imports</a>
          </p>
        ) : null}
        {wholeMonth ? (
          <MonthNav
            month={wholeMonth}
            previous={shift(wholeMonth, -1, startDay)}
            next={shift(wholeMonth, 1, startDay)}
            query={query}
          />
        ) : null}
        <TotalsBar totals={totals} money={money} />
        {rows.length > 0 ? (
          <>
            <RecategoriseForm categories={categories} back={back} csrf={c.get("csrfToken")} />
            <SortSelect sort={f.sort} query={query} />
            <TransactionTable
              rows={rows}
              money={money}
              dateFormat={user.dateFormat}
              sort={f.sort}
              query={query}
              back={back}
              bulkForm={BULK_FORM}
            />
          </>
        ) : f.page > 1 && totals.count > 0 ? (
          <p class="text-center">
            There is no page {f.page}.{" "}
            <a href={listHref(query, { page: undefined })}>Back to the first page</a>
          </p>
        ) : (
          <EmptyState filtered={chips.length > 0} />
        )}
        <p class="text-body-secondary small text-center">
          {totals.count} transaction{totals.count === 1 ? "" : "s"}
        </p>
        <Pagination page={f.page} pages={pages} query={query} />
      </>,
    );
  });

  return app;
}
