import type { Context } from "hono";
import { Hono } from "hono";
import { listCategories } from "../data/categories.ts";
import {
  listTransactions,
  PAGE_SIZE,
  type TransactionFilter,
  totalTransactions,
} from "../data/transactions.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { fieldErrors, filterQuery, formValues } from "../validation.ts";
import { page } from "../views/layout.tsx";
import {
  EmptyState,
  FilterForm,
  Pagination,
  RecategoriseForm,
  TotalsBar,
  TransactionTable,
} from "../views/transactions.tsx";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;

/** The export of what the list shows: the same filters, every page. */
function exportHref(url: URL): string {
  const query = new URLSearchParams(url.searchParams);
  query.delete("page");
  const s = query.toString();
  return `/transactions/export.csv${s ? `?${s}` : ""}`;
}

export function transactionRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/transactions", async (c) => {
    const user = currentUser(c);
    const { db } = c.get("deps");
    const categories = await listCategories(db, user.id);
    const url = new URL(c.req.url);
    const values = formValues(Object.fromEntries(url.searchParams));
    const parsed = filterQuery.safeParse(Object.fromEntries(url.searchParams));
    const filtered = ["from", "to", "category", "kind", "q", "import"].some((k) =>
      url.searchParams.get(k),
    );
    const header = (
      <div class="d-flex justify-content-between align-items-center mb-3">
        <h1 class="h3 mb-0">Transactions</h1>
        <div class="d-flex gap-2">
          <a class="btn btn-outline-secondary" href={exportHref(url)}>
            Export CSV
          </a>
          <a class="btn btn-primary" href="/transactions/new">
            Add transaction
          </a>
        </div>
      </div>
    );
    if (!parsed.success) {
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
    const [rows, totals] = await Promise.all([
      listTransactions(db, user.id, filter, f.page),
      totalTransactions(db, user.id, filter),
    ]);
    const pages = Math.ceil(totals.count / PAGE_SIZE);
    // The recategorise form comes back to this very page.
    const back = `${url.pathname}${url.search}`;
    url.searchParams.delete("page");
    return page(
      c,
      "Transactions",
      <>
        {header}
        <FilterForm values={values} errors={{}} categories={categories} />
        {f.import ? (
          <p class="alert alert-info py-2">
            Showing only the rows of import #{f.import}.{" "}
            <a href="/transactions">Show every transaction</a> · <a href="/imports">Imports</a>
          </p>
        ) : null}
        <TotalsBar totals={totals} currency={user.currency} />
        {rows.length > 0 ? (
          <>
            <RecategoriseForm categories={categories} back={back} csrf={c.get("csrfToken")} />
            <TransactionTable rows={rows} currency={user.currency} />
          </>
        ) : f.page > 1 && totals.count > 0 ? (
          <p class="text-center">
            There is no page {f.page}. <a href="/transactions">Back to the first page</a>
          </p>
        ) : (
          <EmptyState filtered={filtered} />
        )}
        <p class="text-body-secondary small text-center">
          {totals.count} transaction{totals.count === 1 ? "" : "s"}
        </p>
        <Pagination page={f.page} pages={pages} query={url.searchParams} />
      </>,
    );
  });

  return app;
}
