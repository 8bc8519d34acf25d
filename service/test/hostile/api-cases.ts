// Hostile requests to the JSON API: bodies, types, amounts, ids and tokens. Each gets a JSON
// error with the status and a sentence that says what is accepted, and changes nothing.
import type { HostileCase } from "./cases.ts";

export interface ApiInit {
  method?: string;
  body?: string | Uint8Array;
  headers?: Record<string, string>;
  /** The Authorization header: the owner's read-write token unless set (null: none). */
  authorization?: string | null;
}

export interface ApiCtx {
  api(path: string, init?: ApiInit): Response | Promise<Response>;
  /** A read-only token of the owner's. */
  readOnlyToken: string;
  /** Ids that belong to another user. */
  foreignTransactionId: string;
  foreignCategoryId: string;
  /** An expense category of the owner's. */
  categoryId: string;
}

const AMOUNT = "amount must be a decimal string above 0";
const NO_SUCH = "no such";
const JSON_TYPE = { "content-type": "application/json" };

/** A case as the API hostile suite runs it (its context has `api`). */
type ApiCase = Omit<HostileCase, "send"> & { send: (ctx: ApiCtx) => Response | Promise<Response> };

const post = (
  ctx: ApiCtx,
  body: string | Uint8Array,
  headers: Record<string, string> = JSON_TYPE,
) => ctx.api("/api/v1/transactions", { method: "POST", body, headers });

const transaction = (ctx: ApiCtx, over: Record<string, unknown>) =>
  post(
    ctx,
    JSON.stringify({
      kind: "expense",
      title: "Coffee",
      amount: "3.50",
      category_id: Number(ctx.categoryId),
      occurred_on: "2026-03-01",
      ...over,
    }),
  );

const field = (name: string, value: unknown, says: string, status = 422): ApiCase => ({
  name: `API transaction ${name}=${JSON.stringify(value)?.slice(0, 40)}`,
  send: (ctx) => transaction(ctx, { [name]: value }),
  status,
  says,
});

const body = (
  name: string,
  raw: string | Uint8Array,
  status: number,
  says: string,
  headers: Record<string, string> = JSON_TYPE,
): ApiCase => ({
  name: `API body ${name}`,
  send: (ctx) => post(ctx, raw, headers),
  status,
  says,
});

const get = (path: string, status: number, says: string): ApiCase => ({
  name: `API GET ${path.slice(0, 50)}`,
  send: (ctx) => ctx.api(path),
  status,
  says,
});

const auth = (name: string, authorization: string | null, says: string): ApiCase => ({
  name: `API token ${name}`,
  send: (ctx) => ctx.api("/api/v1/transactions", { authorization }),
  status: 401,
  says,
});

export const API_CASES: ApiCase[] = [
  // Bodies that are not a JSON object
  body("malformed JSON", '{"title": "Coffee",', 400, "not valid JSON"),
  body("empty", "", 400, "The body is empty"),
  body("a JSON array", "[]", 422, "Send a transaction as a JSON object"),
  body("a JSON string", '"Coffee"', 422, "Send a transaction as a JSON object"),
  body("JSON null", "null", 422, "Send a transaction as a JSON object"),
  body("deeply nested", `${"[".repeat(5000)}${"]".repeat(5000)}`, 422, "as a JSON object"),
  body("not UTF-8", new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 400, "not UTF-8"),
  body("as a form", "title=Coffee", 415, "Content-Type: application/json", {
    "content-type": "application/x-www-form-urlencoded",
  }),
  body("as text", "{}", 415, "Content-Type: application/json", { "content-type": "text/plain" }),
  body("JSON in Latin-1", "{}", 415, "Content-Type: application/json", {
    "content-type": "application/json; charset=latin1",
  }),
  body("without a Content-Type", "{}", 415, "Content-Type: application/json", {}),
  body("over 1 MB", JSON.stringify({ notes: "x".repeat(1024 * 1024) }), 413, "larger than 1 MB"),
  {
    name: "API body with __proto__",
    send: (ctx) =>
      post(
        ctx,
        `{"kind":"expense","title":"x","amount":"1","category_id":${ctx.categoryId},"__proto__":{"admin":true}}`,
      ),
    status: 422,
    says: "Unknown field for a transaction",
  },
  // Amounts: decimal strings only
  ...[12.5, 0.1, 1000, true, null, [], {}].map((v) => field("amount", v, AMOUNT)),
  ...["1e3", "-5", "0", "12.345", "1,50", "Infinity", "NaN", "0x10", " ", "１２", "1000000000"].map(
    (v) => field("amount", v, AMOUNT),
  ),
  // Ids in bodies
  ...[1.5, "1", -1, 0, 2147483648, 1e20, null, true].map((v) =>
    field("category_id", v, "category_id must be the id of one of your categories"),
  ),
  {
    name: "API transaction with another user's category",
    send: (ctx) => transaction(ctx, { category_id: Number(ctx.foreignCategoryId) }),
    status: 422,
    says: "category_id must be one of your expense categories",
  },
  // Text
  field("title", "a\u0000b", "title must not contain the NUL character"),
  field("notes", "a\u0000b", "notes must not contain the NUL character"),
  field("title", "x".repeat(201), "title can be at most 200 characters"),
  field("title", 42, "title must be a string"),
  field("occurred_on", "2026-02-30", 'occurred_on must be an ISO date "YYYY-MM-DD"'),
  field("occurred_on", "2026-03-01T00:00:00Z", 'occurred_on must be an ISO date "YYYY-MM-DD"'),
  field("kind", "EXPENSE", 'kind must be "expense" or "income"'),
  field("user_id", 1, "Unknown field for a transaction"),
  // Ids in paths, and other users' ids
  ...["0", "-1", "1.5", "01", "0x1", "99999999999", "2147483648", "%00", "1e0"].map((id) =>
    get(`/api/v1/transactions/${id}`, 404, NO_SUCH),
  ),
  ...["GET", "PATCH", "DELETE"].map(
    (method): ApiCase => ({
      name: `API ${method} another user's transaction`,
      send: (ctx) =>
        ctx.api(`/api/v1/transactions/${ctx.foreignTransactionId}`, {
          method,
          ...(method === "PATCH" ? { body: '{"title":"mine"}', headers: JSON_TYPE } : {}),
        }),
      status: 404,
      says: NO_SUCH,
    }),
  ),
  {
    name: "API DELETE another user's category",
    send: (ctx) => ctx.api(`/api/v1/categories/${ctx.foreignCategoryId}`, { method: "DELETE" }),
    status: 404,
    says: NO_SUCH,
  },
  // Queries
  get("/api/v1/transactions?page=-1", 400, "page must be a whole number from 1"),
  get("/api/v1/transactions?from=2026-02-30", 400, 'from must be an ISO date "YYYY-MM-DD"'),
  get("/api/v1/transactions?q=%00", 400, "q must not contain the NUL character"),
  get("/api/v1/transactions?q=%ff%fe", 400, "not UTF-8"),
  get(
    "/api/v1/transactions?category=1e0",
    400,
    "category must be the id of one of your categories",
  ),
  get("/api/v1/budgets?month=2026-13", 400, 'month must be a month "YYYY-MM"'),
  get("/api/v1/nothing-here", 404, "There is no such API path"),
  // Tokens
  auth("absent", null, "This request has no token"),
  auth("of another scheme", "Basic b3duZXI6cGFzc3dvcmQ=", "Only Bearer authorization is accepted"),
  auth("empty", "Bearer ", "Only Bearer authorization is accepted"),
  auth(
    "of another app",
    "Bearer ghp_0123456789abcdefghijklmnopqrstuvwxyz",
    "That is not a token of this app",
  ),
  auth("too long", `Bearer et_pat_${"a".repeat(10_000)}`, "That is not a token of this app"),
  auth("made up", `Bearer et_pat_0123456789abcdef_${"A".repeat(43)}`, "This token is not valid"),
  {
    name: "API write with a read-only token",
    send: (ctx) =>
      ctx.api("/api/v1/categories", {
        method: "POST",
        body: '{"name":"Books","kind":"expense"}',
        headers: JSON_TYPE,
        authorization: `Bearer ${ctx.readOnlyToken}`,
      }),
    status: 403,
    says: "This token is read-only",
  },
  ...["short", "has spaces in it, sixteen+", "x".repeat(101)].map(
    (key): ApiCase => ({
      name: `API Idempotency-Key ${JSON.stringify(key).slice(0, 30)}`,
      send: (ctx) =>
        ctx.api("/api/v1/categories", {
          method: "POST",
          body: '{"name":"Books","kind":"expense"}',
          headers: { ...JSON_TYPE, "idempotency-key": key },
        }),
      status: 400,
      says: "Idempotency-Key must be 16 to 100 letters, digits, - or _",
    }),
  ),
];
