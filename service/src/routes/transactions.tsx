import type { Context } from "hono";
import { Hono } from "hono";
import {
  createTransaction,
  deleteTransaction,
  getTransaction,
  listCategories,
  listTransactions,
  PAGE_SIZE,
  type TransactionFilter,
  type TransactionInput,
  totalTransactions,
  updateTransaction,
} from "../data/transactions.ts";
import type { Category, User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { centsToDecimal, formatMoney } from "../lib/money.ts";
import { flash, now } from "../middleware/session.ts";
import { fieldErrors, filterQuery, formValues, transactionForm, validForm } from "../validation.ts";
import { Card, type FieldErrors, type FormValues } from "../views/form.tsx";
import { CsrfField, page } from "../views/layout.tsx";
import { TransactionForm } from "../views/transaction-form.tsx";
import {
  EmptyState,
  FilterForm,
  Pagination,
  TotalsBar,
  TransactionTable,
} from "../views/transactions.tsx";
import { pathId } from "./path-id.ts";
import { newKey, submitOnce } from "./submit-once.ts";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;

async function formPage(
  c: Context<AppEnv>,
  mode: { title: string; action: string; submit: string },
  values: FormValues,
  errors: FieldErrors,
  categories?: Category[],
  status = 200,
) {
  const cats = categories ?? (await listCategories(c.get("deps").db, currentUser(c).id));
  return page(
    c,
    mode.title,
    <div class="row justify-content-center">
      <div class="col-lg-9">
        <Card title={mode.title}>
          <TransactionForm
            c={c}
            action={mode.action}
            values={values}
            errors={errors}
            categories={cats}
            submit={mode.submit}
          />
        </Card>
      </div>
    </div>,
    status,
  );
}

const addMode = { title: "Add transaction", action: "/transactions", submit: "Add" };
const editMode = (id: number) => ({
  title: "Edit transaction",
  action: `/transactions/${id}`,
  submit: "Save changes",
});

/**
 * Turns a valid form into a row to store, or field errors: the category must be one of the user's,
 * and an empty date means today in the user's time zone.
 */
async function toInput(
  c: Context<AppEnv>,
  form: ReturnType<typeof transactionForm.parse>,
): Promise<{ input: TransactionInput } | { errors: FieldErrors; categories: Category[] }> {
  const user = currentUser(c);
  const categories = await listCategories(c.get("deps").db, user.id);
  if (!categories.some((cat) => cat.id === form.categoryId)) {
    return { errors: { categoryId: "Choose a category from the list" }, categories };
  }
  return {
    input: {
      kind: form.kind,
      title: form.title,
      amountCents: form.amount,
      categoryId: form.categoryId,
      occurredOn: form.occurredOn ?? todayIn(user.timeZone, now(c)),
      notes: form.notes ?? null,
      paymentMethod: form.paymentMethod ?? null,
    },
  };
}

export function transactionRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const user = currentUser(c);
    const { db } = c.get("deps");
    const categories = await listCategories(db, user.id);
    const url = new URL(c.req.url);
    const values = formValues(Object.fromEntries(url.searchParams));
    const parsed = filterQuery.safeParse(Object.fromEntries(url.searchParams));
    const filtered = ["from", "to", "category", "kind", "q"].some((k) => url.searchParams.get(k));
    const header = (
      <div class="d-flex justify-content-between align-items-center mb-3">
        <h1 class="h3 mb-0">Transactions</h1>
        <a class="btn btn-primary" href="/transactions/new">
          Add transaction
        </a>
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
    };
    const [rows, totals] = await Promise.all([
      listTransactions(db, user.id, filter, f.page),
      totalTransactions(db, user.id, filter),
    ]);
    const pages = Math.ceil(totals.count / PAGE_SIZE);
    url.searchParams.delete("page");
    return page(
      c,
      "Transactions",
      <>
        {header}
        <FilterForm values={values} errors={{}} categories={categories} />
        <TotalsBar totals={totals} currency={user.currency} />
        {rows.length > 0 ? (
          <TransactionTable rows={rows} currency={user.currency} />
        ) : f.page > 1 && totals.count > 0 ? (
          <p class="text-center">
            There is no page {f.page}. <a href="/">Back to the first page</a>
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

  app.get("/transactions/new", async (c) => {
    const today = todayIn(currentUser(c).timeZone, now(c));
    return formPage(c, addMode, { kind: "expense", occurredOn: today, _key: newKey() }, {});
  });

  app.post(
    "/transactions",
    validForm(transactionForm, (c, v, e) => formPage(c, addMode, v, e)),
    async (c) => {
      const result = await toInput(c, c.req.valid("form"));
      if ("errors" in result) {
        const values = formValues(await c.req.parseBody());
        return formPage(c, addMode, values, result.errors, result.categories, 422);
      }
      const { input } = result;
      return submitOnce(c, async (tx) => {
        await createTransaction(tx, currentUser(c).id, input);
        return { location: "/", flash: `Added “${input.title}”.` };
      });
    },
  );

  app.get("/transactions/:id/edit", async (c) => {
    const id = pathId(c);
    const t = id && (await getTransaction(c.get("deps").db, currentUser(c).id, id));
    if (!t) return c.notFound();
    const values: FormValues = {
      kind: t.kind,
      title: t.title,
      amount: centsToDecimal(t.amountCents),
      categoryId: String(t.categoryId),
      occurredOn: t.occurredOn,
      notes: t.notes ?? "",
      paymentMethod: t.paymentMethod ?? "",
    };
    return formPage(c, editMode(t.id), values, {});
  });

  app.post(
    "/transactions/:id",
    async (c, next) => {
      const id = pathId(c);
      const t = id && (await getTransaction(c.get("deps").db, currentUser(c).id, id));
      return t ? next() : c.notFound();
    },
    validForm(transactionForm, (c, v, e) => formPage(c, editMode(pathId(c) ?? 0), v, e)),
    async (c) => {
      const id = pathId(c) as number;
      const result = await toInput(c, c.req.valid("form"));
      if ("errors" in result) {
        const values = formValues(await c.req.parseBody());
        return formPage(c, editMode(id), values, result.errors, result.categories, 422);
      }
      const updated = await updateTransaction(
        c.get("deps").db,
        currentUser(c).id,
        id,
        result.input,
      );
      if (!updated) return c.notFound();
      await flash(c, `Saved “${result.input.title}”.`);
      return c.redirect("/", 303);
    },
  );

  app.get("/transactions/:id/delete", async (c) => {
    const id = pathId(c);
    const user = currentUser(c);
    const t = id && (await getTransaction(c.get("deps").db, user.id, id));
    if (!t) return c.notFound();
    return page(
      c,
      "Delete transaction",
      <div class="row justify-content-center">
        <div class="col-md-7">
          <Card title="Delete this transaction?">
            <p>
              <strong>{t.title}</strong> · {t.occurredOn} · {t.categoryName} ·{" "}
              {formatMoney(t.amountCents, user.currency)} ({t.kind})
            </p>
            <p class="text-body-secondary">This cannot be undone.</p>
            <form method="post" action={`/transactions/${t.id}/delete`}>
              <CsrfField c={c} />
              <button class="btn btn-danger" type="submit">
                Delete
              </button>{" "}
              <a class="btn btn-link" href="/">
                Keep it
              </a>
            </form>
          </Card>
        </div>
      </div>,
    );
  });

  app.post("/transactions/:id/delete", async (c) => {
    const id = pathId(c);
    const t = id && (await getTransaction(c.get("deps").db, currentUser(c).id, id));
    if (!t || !(await deleteTransaction(c.get("deps").db, currentUser(c).id, t.id))) {
      return c.notFound();
    }
    await flash(c, `Deleted “${t.title}”.`);
    return c.redirect("/", 303);
  });

  return app;
}
