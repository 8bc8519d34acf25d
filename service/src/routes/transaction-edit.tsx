// Adding, editing and deleting one transaction. The form is for one kind at a time (tabs switch
// it) and offers only that kind's categories, the user's usual one first.
import type { Context } from "hono";
import { Hono } from "hono";
import { listCategories, usualCategory } from "../data/categories.ts";
import {
  createTransaction,
  deleteTransaction,
  getTransaction,
  type TransactionInput,
  updateTransaction,
} from "../data/transactions.ts";
import {
  type Category,
  DEFAULT_CATEGORIES,
  TRANSACTION_KINDS,
  type TransactionKind,
  type User,
} from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { centsToDecimal, moneyFor } from "../lib/money.ts";
import { backToList, withBack } from "../lib/safe-path.ts";
import { flash, now } from "../middleware/session.ts";
import { formValues, transactionForm, transactionFormIn, validFormIn } from "../validation.ts";
import { confirmPage } from "../views/confirm.tsx";
import { Card, type FieldErrors, type FormValues } from "../views/form.tsx";
import { page } from "../views/layout.tsx";
import { TransactionForm } from "../views/transaction-form.tsx";
import { pathId } from "./path-id.ts";
import { newKey, submitOnce } from "./submit-once.ts";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;

interface Mode {
  title: string;
  action: string;
  submit: string;
  /** The same page for the other kind. */
  kindHref: (kind: TransactionKind) => string;
  /** The list the user came from, which saving and cancelling return to. */
  back: string;
  /** The transaction's delete page, when editing one. */
  deleteHref?: string;
}

/** The list URL in this request's `back` parameter (checked), or the plain list. */
const backOf = (c: Context<AppEnv>) => backToList(c.req.query("back"));

const addMode = (back: string): Mode => ({
  title: "Add transaction",
  action: withBack("/transactions", back),
  submit: "Add",
  kindHref: (kind) => withBack(`/transactions/new?kind=${kind}`, back),
  back,
});
const editMode = (id: number, back: string): Mode => ({
  title: "Edit transaction",
  action: withBack(`/transactions/${id}`, back),
  submit: "Save changes",
  kindHref: (kind) => withBack(`/transactions/${id}/edit?kind=${kind}`, back),
  back,
  deleteHref: withBack(`/transactions/${id}/delete`, back),
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
  return page(
    c,
    mode.title,
    <div class="row justify-content-center">
      <div class="col-lg-9">
        <Card title={mode.title}>
          <TransactionForm
            c={c}
            action={mode.action}
            values={{ ...values, kind }}
            errors={errors}
            categories={all.filter((cat) => cat.kind === kind)}
            submit={mode.submit}
            kindHref={mode.kindHref}
            back={mode.back}
            deleteHref={mode.deleteHref}
          />
        </Card>
      </div>
    </div>,
    status,
  );
}

/** The category to preselect for `kind`: the user's usual one, or the first of that kind. */
export async function preselect(c: Context<AppEnv>, kind: TransactionKind): Promise<string> {
  const { db } = c.get("deps");
  const user = currentUser(c);
  const usual = await usualCategory(db, user.id, kind);
  if (usual !== undefined) return String(usual);
  // No history yet: the first of the starting categories the user still has (Food, Salary),
  // rather than whichever name sorts first.
  const ofKind = (await listCategories(db, user.id)).filter((cat) => cat.kind === kind);
  const starting: readonly string[] = DEFAULT_CATEGORIES[kind];
  const first =
    starting.map((name) => ofKind.find((cat) => cat.name === name)).find(Boolean) ?? ofKind[0];
  return first ? String(first.id) : "";
}

/**
 * Turns a valid form into a row to store, or field errors: the category must be one of the user's
 * and of the transaction's kind, and an empty date means today in the user's time zone.
 */
async function toInput(
  c: Context<AppEnv>,
  form: ReturnType<typeof transactionForm.parse>,
): Promise<{ input: TransactionInput } | { errors: FieldErrors }> {
  const user = currentUser(c);
  const categories = await listCategories(c.get("deps").db, user.id);
  const chosen: Category | undefined = categories.find((cat) => cat.id === form.categoryId);
  if (!chosen || chosen.kind !== form.kind) {
    const names = categories.filter((cat) => cat.kind === form.kind).map((cat) => cat.name);
    return {
      errors: {
        categoryId: `Choose one of your ${form.kind} categories: ${names.join(", ")}`,
      },
    };
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

export function transactionEditRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/transactions/new", async (c) => {
    const today = todayIn(currentUser(c).timeZone, now(c));
    const kind = kindOf(c.req.query("kind"));
    const values = { kind, occurredOn: today, categoryId: await preselect(c, kind) };
    return formPage(c, addMode(backOf(c)), { ...values, _key: newKey() }, {});
  });

  app.post(
    "/transactions",
    validFormIn(transactionForm, transactionFormIn, (c, v, e) =>
      formPage(c, addMode(backOf(c)), v, e, 422),
    ),
    async (c) => {
      const result = await toInput(c, c.req.valid("form"));
      if ("errors" in result) {
        const values = formValues(await c.req.parseBody());
        return formPage(c, addMode(backOf(c)), values, result.errors, 422);
      }
      const { input } = result;
      return submitOnce(c, async (tx) => {
        await createTransaction(tx, currentUser(c).id, input);
        return { location: backOf(c), flash: `Added “${input.title}”.` };
      });
    },
  );

  app.get("/transactions/:id/edit", async (c) => {
    const id = pathId(c);
    const t = id && (await getTransaction(c.get("deps").db, currentUser(c).id, id));
    if (!t) return c.notFound();
    const kind = kindOf(c.req.query("kind") ?? t.kind);
    const values: FormValues = {
      kind,
      title: t.title,
      amount: centsToDecimal(t.amountCents, currentUser(c).numberFormat),
      // Switching the kind needs a category of the other kind.
      categoryId: kind === t.kind ? String(t.categoryId) : await preselect(c, kind),
      occurredOn: t.occurredOn,
      notes: t.notes ?? "",
      paymentMethod: t.paymentMethod ?? "",
    };
    return formPage(c, editMode(t.id, backOf(c)), values, {});
  });

  app.post(
    "/transactions/:id",
    async (c, next) => {
      const id = pathId(c);
      const t = id && (await getTransaction(c.get("deps").db, currentUser(c).id, id));
      return t ? next() : c.notFound();
    },
    validFormIn(transactionForm, transactionFormIn, (c, v, e) =>
      formPage(c, editMode(pathId(c) ?? 0, backOf(c)), v, e, 422),
    ),
    async (c) => {
      const id = pathId(c) as number;
      const result = await toInput(c, c.req.valid("form"));
      if ("errors" in result) {
        const values = formValues(await c.req.parseBody());
        return formPage(c, editMode(id, backOf(c)), values, result.errors, 422);
      }
      const updated = await updateTransaction(
        c.get("deps").db,
        currentUser(c).id,
        id,
        result.input,
      );
      if (!updated) return c.notFound();
      await flash(c, `Saved “${result.input.title}”.`);
      return c.redirect(backOf(c), 303);
    },
  );

  app.get("/transactions/:id/delete", async (c) => {
    const id = pathId(c);
    const user = currentUser(c);
    const t = id && (await getTransaction(c.get("deps").db, user.id, id));
    if (!t) return c.notFound();
    return confirmPage(c, {
      title: "Delete transaction",
      question: "Delete this transaction?",
      action: withBack(`/transactions/${t.id}/delete`, backOf(c)),
      confirmLabel: "Delete",
      cancelHref: backOf(c),
      children: (
        <>
          <p>
            <strong>{t.title}</strong> · {t.occurredOn} · {t.categoryName} ·{" "}
            {moneyFor(user).amount(t.amountCents)} ({t.kind})
          </p>
          <p class="text-body-secondary">This cannot be undone.</p>
        </>
      ),
    });
  });

  app.post("/transactions/:id/delete", async (c) => {
    const id = pathId(c);
    const t = id && (await getTransaction(c.get("deps").db, currentUser(c).id, id));
    if (!t || !(await deleteTransaction(c.get("deps").db, currentUser(c).id, t.id))) {
      return c.notFound();
    }
    await flash(c, `Deleted “${t.title}”.`);
    return c.redirect(backOf(c), 303);
  });

  return app;
}
