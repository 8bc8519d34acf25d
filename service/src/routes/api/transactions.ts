// /api/v1/transactions: the list page's filters and pages, and one transaction at a time.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { listCategories } from "../../data/categories.ts";
import {
  createTransaction,
  deleteTransaction,
  getTransaction,
  listTransactions,
  PAGE_SIZE,
  type TransactionInput,
  type TransactionRow,
  totalTransactions,
  updateTransaction,
} from "../../data/transactions.ts";
import type { Db } from "../../db/client.ts";
import type { TransactionKind } from "../../db/schema.ts";
import type { AppEnv } from "../../env.ts";
import { todayIn } from "../../lib/dates.ts";
import { parseId } from "../../lib/ids.ts";
import { centsToDecimal } from "../../lib/money.ts";
import { now } from "../../middleware/session.ts";
import { apiUser, createOnce, errors, json, WRITE_ERRORS } from "./common.ts";
import { ApiError } from "./errors.ts";
import type { ApiApp } from "./index.ts";
import {
  IdempotencyHeaderSchema,
  IdParamSchema,
  TransactionCreateSchema,
  TransactionListSchema,
  TransactionQuerySchema,
  TransactionSchema,
  TransactionUpdateSchema,
} from "./schemas.ts";

const PATH = "/api/v1/transactions";
const ITEM = "/api/v1/transactions/{id}";
const tags = ["Transactions"];
const security = [{ bearerAuth: [] }];

export const transactionJson = (t: TransactionRow) => ({
  id: t.id,
  kind: t.kind,
  title: t.title,
  amount: centsToDecimal(t.amountCents),
  category_id: t.categoryId,
  category_name: t.categoryName,
  occurred_on: t.occurredOn,
  notes: t.notes,
  payment_method: t.paymentMethod,
});

/** The category must be one of the user's, of the transaction's kind. */
async function checkCategory(c: Context<AppEnv>, kind: TransactionKind, categoryId: number) {
  const all = await listCategories(c.get("deps").db, apiUser(c).id);
  const chosen = all.find((cat) => cat.id === categoryId);
  if (chosen?.kind === kind) return;
  const ids = all.filter((cat) => cat.kind === kind).map((cat) => `${cat.id} (${cat.name})`);
  const message = `category_id must be one of your ${kind} categories: ${ids.join(", ")}`;
  throw new ApiError(422, message, { category_id: message });
}

const itemId = (c: Context<AppEnv>) => {
  const id = parseId(c.req.param("id") ?? "");
  if (id === undefined) throw new ApiError(404, "There is no such transaction of yours.");
  return id;
};

async function found(db: Db, userId: number, id: number): Promise<TransactionRow> {
  const t = await getTransaction(db, userId, id);
  if (!t) throw new ApiError(404, "There is no such transaction of yours.");
  return t;
}

export function transactionApi(api: ApiApp) {
  api.openapi(
    createRoute({
      method: "get",
      path: PATH,
      tags,
      security,
      summary: "List transactions",
      description: `Newest first (by date, then by entry order), ${PAGE_SIZE} a page, with the totals of everything the filters match.`,
      request: { query: TransactionQuerySchema },
      responses: { 200: json(TransactionListSchema, "One page of transactions"), ...errors() },
    }),
    async (c) => {
      const q = c.req.valid("query");
      if (q.from && q.to && q.from > q.to) {
        const message = "to must be on or after from";
        throw new ApiError(400, message, { to: message });
      }
      const user = apiUser(c);
      const { db } = c.get("deps");
      const filter = {
        from: q.from,
        to: q.to,
        categoryId: q.category ? Number(q.category) : undefined,
        kind: q.kind,
        q: q.q,
      };
      const page = q.page ? Number(q.page) : 1;
      const [rows, totals] = await Promise.all([
        listTransactions(db, user.id, filter, page),
        totalTransactions(db, user.id, filter),
      ]);
      return c.json(
        {
          data: rows.map(transactionJson),
          page,
          per_page: PAGE_SIZE,
          pages: Math.ceil(totals.count / PAGE_SIZE),
          total: totals.count,
          totals: {
            income: centsToDecimal(totals.incomeCents),
            expense: centsToDecimal(totals.expenseCents),
            net: centsToDecimal(totals.netCents),
          },
        },
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: ITEM,
      tags,
      security,
      summary: "Get a transaction",
      request: { params: IdParamSchema },
      responses: { 200: json(TransactionSchema, "The transaction"), ...errors(404) },
    }),
    async (c) => {
      const t = await found(c.get("deps").db, apiUser(c).id, itemId(c));
      return c.json(transactionJson(t), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: PATH,
      tags,
      security,
      summary: "Add a transaction",
      request: {
        headers: IdempotencyHeaderSchema,
        body: {
          required: true,
          content: { "application/json": { schema: TransactionCreateSchema } },
        },
      },
      responses: {
        201: json(TransactionSchema, "Added; Location names it"),
        ...errors(...WRITE_ERRORS),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const user = apiUser(c);
      await checkCategory(c, body.kind, body.category_id);
      const input: TransactionInput = {
        kind: body.kind,
        title: body.title,
        amountCents: body.amount,
        categoryId: body.category_id,
        occurredOn: body.occurred_on ?? todayIn(user.timeZone, now(c)),
        notes: body.notes ?? null,
        paymentMethod: body.payment_method ?? null,
      };
      const key = c.req.valid("header")["Idempotency-Key"];
      // The stored answer is replayed as it was written, hence a plain Response.
      return createOnce(c, key, { ...input }, async (tx) => {
        const id = await createTransaction(tx, user.id, input);
        const row = await found(tx, user.id, id);
        return { location: `${PATH}/${id}`, body: transactionJson(row) };
      }) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: ITEM,
      tags,
      security,
      summary: "Change a transaction",
      request: {
        params: IdParamSchema,
        body: {
          required: true,
          content: { "application/json": { schema: TransactionUpdateSchema } },
        },
      },
      responses: {
        200: json(TransactionSchema, "The transaction as saved"),
        ...errors(404, ...WRITE_ERRORS),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const user = apiUser(c);
      const t = await found(db, user.id, itemId(c));
      const body = c.req.valid("json");
      const input: TransactionInput = {
        kind: body.kind ?? t.kind,
        title: body.title ?? t.title,
        amountCents: body.amount ?? t.amountCents,
        categoryId: body.category_id ?? t.categoryId,
        occurredOn: body.occurred_on ?? t.occurredOn,
        notes: body.notes === undefined ? t.notes : body.notes,
        paymentMethod: body.payment_method === undefined ? t.paymentMethod : body.payment_method,
      };
      await checkCategory(c, input.kind, input.categoryId);
      if (!(await updateTransaction(db, user.id, t.id, input))) {
        throw new ApiError(404, "There is no such transaction of yours.");
      }
      return c.json(transactionJson(await found(db, user.id, t.id)), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: ITEM,
      tags,
      security,
      summary: "Delete a transaction",
      request: { params: IdParamSchema },
      responses: { 204: { description: "Deleted" }, ...errors(403, 404) },
    }),
    async (c) => {
      const user = apiUser(c);
      if (!(await deleteTransaction(c.get("deps").db, user.id, itemId(c)))) {
        throw new ApiError(404, "There is no such transaction of yours.");
      }
      return c.body(null, 204);
    },
  );
}
