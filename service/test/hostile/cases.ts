// The hostile-input table: each case is one request a careless or hostile client can send, the
// 4xx it must get, and a fragment of the sentence that tells what is accepted.
import { API_CASES, type ApiCtx } from "./api-cases.ts";
import { IMPORT_CASES, type ImportCtx } from "./import-cases.ts";
import { DATE_RULE_TEXT, ID_RULE, UTF8 } from "./rules.ts";
import { TRANSPORT_CASES } from "./transport-cases.ts";

export interface Ctx extends ApiCtx, ImportCtx {
  /** Sends a form as the signed-in owner's browser (its cookies and a fresh CSRF token). */
  form(
    path: string,
    fields: Record<string, string | string[]>,
    headers?: Record<string, string>,
  ): Response | Promise<Response>;
  /** Sends a request with the owner's cookies, as given. */
  raw(path: string, init?: RequestInit): Response | Promise<Response>;
  /** A category of the owner's. */
  categoryId: string;
  /** A URL of a stylesheet. */
  assetPath: string;
}

export interface HostileCase {
  name: string;
  send: (ctx: Ctx) => Response | Promise<Response>;
  status: number;
  says: string;
}

const AMOUNT = "Enter an amount above 0 and below 1,000,000,000";

const transaction = (ctx: Ctx, over: Record<string, string | string[]>) =>
  ctx.form("/transactions", {
    kind: "expense",
    title: "Coffee",
    amount: "3.50",
    categoryId: ctx.categoryId,
    occurredOn: "2026-03-01",
    ...over,
  });

const field = (
  name: string,
  value: string | string[],
  status: number,
  says: string,
): HostileCase => ({
  name: `transaction ${name}=${JSON.stringify(value).slice(0, 40)}`,
  send: (ctx) => transaction(ctx, { [name]: value }),
  status,
  says,
});

const budget = (
  over: Record<string, string | string[]>,
  status: number,
  says: string,
): HostileCase => ({
  name: `budget ${JSON.stringify(over).slice(0, 50)}`,
  send: (ctx) =>
    ctx.form("/budgets", { month: "2099-01", category: ctx.categoryId, amount: "5", ...over }),
  status,
  says,
});

/** A recurring rule form: valid (monthly on the 1st from 2099) except for `over`. */
const recurring = (
  over: Record<string, string | string[]>,
  status: number,
  says: string,
): HostileCase => ({
  name: `recurring rule ${JSON.stringify(over).slice(0, 50)}`,
  send: (ctx) =>
    ctx.form("/recurring", {
      kind: "expense",
      title: "Rent",
      amount: "950",
      categoryId: ctx.categoryId,
      every: "1",
      frequency: "monthly",
      weekday: "1",
      monthDay: "1",
      startsOn: "2099-01-01",
      ends: "never",
      ...over,
    }),
  status,
  says,
});

const EVERY = "Enter how often as a whole number from 1 to 99";
const COUNT = "Enter a number of occurrences from 1 to 1000";

const signIn = (
  over: Record<string, string | string[]>,
  says: string,
  name: string,
): HostileCase => ({
  name: `sign-in ${name}`,
  send: (ctx) => ctx.form("/signin", { email: "someone@example.test", password: "x", ...over }),
  status: 422,
  says,
});

const passwordChange = (over: Record<string, string>, says: string, name: string): HostileCase => ({
  name: `password change ${name}`,
  send: (ctx) =>
    ctx.form("/account/password", {
      current: "whatever it is",
      password: "new password 1",
      confirm: "new password 1",
      ...over,
    }),
  status: 422,
  says,
});

const filter = (query: string, says: string): HostileCase => ({
  name: `filter ?${query.slice(0, 40)}`,
  send: (ctx) => ctx.raw(`/transactions?${query}`),
  status: 422,
  says,
});

const url = (path: string, status: number, says: string): HostileCase => ({
  name: `URL ${path.slice(0, 50)}`,
  send: (ctx) => ctx.raw(path),
  status,
  says,
});

const NOT_FOUND = "This page does not exist";

export const HOSTILE_CASES: HostileCase[] = [
  // Amounts
  ...[
    "",
    " ",
    "abc",
    "1e3",
    "-5",
    "0",
    "0.00",
    "1000000000",
    "12.345",
    "1,50",
    "0x10",
    "Infinity",
    "NaN",
    "１２",
    "12.",
    ".5",
    "1 000",
  ].map((v) => field("amount", v, 422, AMOUNT)),
  field("amount", ["1", "2"], 422, AMOUNT),
  // Category ids: decimal digits only
  ...[
    "0x1",
    " 1e0 ",
    "1e0",
    "1.0",
    "+1",
    "01",
    "-1",
    "0",
    "",
    "abc",
    "99999999999",
    "2147483648",
    "1 ",
  ].map((v) => field("categoryId", v, 422, ID_RULE)),
  field("categoryId", ["1", "2"], 422, ID_RULE),
  // Titles, kinds, dates, notes
  field("title", "", 422, "Enter a title"),
  field("title", "   ", 422, "Enter a title"),
  field("title", "x".repeat(201), 422, "A title can be at most 200 characters"),
  field("title", "a\u0000b", 422, "Remove the NUL character"),
  field("title", ["a", "b"], 422, "Enter a title"),
  field("notes", ["a", "b"], 422, "Send this field once, as text"),
  field("kind", "refund", 422, "Choose expense or income"),
  field("kind", "EXPENSE", 422, "Choose expense or income"),
  field("kind", "", 422, "Choose expense or income"),
  ...[
    "2026-02-30",
    "31/12/2026",
    "1899-12-31",
    "2101-01-01",
    "2026-1-1",
    "tomorrow",
    "2026-03-01T00:00",
  ].map((v) => field("occurredOn", v, 422, DATE_RULE_TEXT)),
  field("notes", "n".repeat(2001), 422, "Notes can be at most 2000 characters"),
  field("notes", "\u0000", 422, "Remove the NUL character"),
  field("paymentMethod", "p".repeat(51), 422, "A payment method can be at most 50 characters"),
  // Sign-in: the app's own sentences, never zod's
  signIn({ email: "" }, "Enter your email address", "empty email"),
  signIn(
    { email: `${"a".repeat(250)}@example.test` },
    "An email address has at most 254 characters",
    "email of 263 characters",
  ),
  signIn({ password: "" }, "Enter your password", "empty password"),
  signIn(
    { password: "p".repeat(201) },
    "A password has at most 200 characters",
    "password of 201 characters",
  ),
  signIn(
    { email: ["a@example.test", "b@example.test"] },
    "Enter your email address",
    "email twice",
  ),
  signIn({ email: "a\u0000@example.test" }, "Remove the NUL character", "NUL in email"),
  // Password change
  passwordChange({ current: "" }, "Enter your current password", "empty current"),
  passwordChange(
    { current: "c".repeat(201) },
    "A password has at most 200 characters",
    "current of 201",
  ),
  passwordChange({ password: "short", confirm: "short" }, "Use at least 8 characters", "short new"),
  passwordChange(
    { password: "l".repeat(201), confirm: "l".repeat(201) },
    "Use at most 200 characters",
    "long new",
  ),
  passwordChange({ confirm: "another one" }, "The two new passwords differ", "mismatch"),
  // Settings
  {
    name: "settings with an offset for a time zone",
    send: (ctx) => ctx.form("/settings", { timeZone: "+05:30", currency: "EUR" }),
    status: 422,
    says: "Choose a time zone from the list",
  },
  {
    name: "settings with an unknown currency",
    send: (ctx) => ctx.form("/settings", { timeZone: "UTC", currency: "EURO" }),
    status: 422,
    says: "Choose a currency code from the list",
  },
  {
    name: "settings without fields",
    send: (ctx) => ctx.form("/settings", {}),
    status: 422,
    says: "Choose a time zone from the list",
  },
  // Budgets
  budget({ amount: "1,50" }, 422, AMOUNT),
  budget({ amount: "1e3" }, 422, AMOUNT),
  budget({ amount: ["1", "2"] }, 422, AMOUNT),
  budget({ amount: "5\u0000" }, 422, AMOUNT),
  budget({ month: "2099-1" }, 422, "Choose a month as YYYY-MM"),
  budget({ month: ["2099-01", "2099-02"] }, 422, "Choose a month as YYYY-MM"),
  budget({ category: "0x1" }, 422, "Choose a category from the list"),
  budget({ category: "9999999999" }, 422, "Choose a category from the list"),
  budget({ category: "2147483647" }, 404, "That is not one of your expense categories"),
  budget({ month: "2000-01" }, 422, "Past months keep the budgets they had"),
  // Recurring rules
  recurring({ amount: "1e3" }, 422, AMOUNT),
  recurring({ amount: ["1", "2"] }, 422, AMOUNT),
  recurring({ title: "a\u0000b" }, 422, "Remove the NUL character"),
  recurring({ categoryId: "0x1" }, 422, ID_RULE),
  ...["0", "100", "1e1", "-1", "1.5", "１", ""].map((v) => recurring({ every: v }, 422, EVERY)),
  recurring({ every: ["1", "2"] }, 422, EVERY),
  recurring({ frequency: "daily" }, 422, "Choose weekly, monthly or yearly"),
  recurring({ frequency: ["weekly", "monthly"] }, 422, "Choose weekly, monthly or yearly"),
  ...["0", "8", "1.0", "Monday"].map((v) =>
    recurring({ frequency: "weekly", weekday: v }, 422, "Choose the day of the week"),
  ),
  ...["0", "32", "-1", "1e1", "first"].map((v) =>
    recurring({ monthDay: v }, 422, "Choose the day of the month from the list, or the last day"),
  ),
  ...["2099-02-30", "1899-12-31", "", "2099-1-1"].map((v) =>
    recurring({ startsOn: v }, 422, DATE_RULE_TEXT),
  ),
  recurring({ ends: "sometimes" }, 422, "Choose when the rule ends"),
  recurring({ ends: "on", endsOn: "2098-12-31" }, 422, "on or after the start date"),
  recurring({ ends: "on", endsOn: "2099-13-01" }, 422, DATE_RULE_TEXT),
  ...["0", "1001", "1e2", ""].map((v) => recurring({ ends: "after", occurrences: v }, 422, COUNT)),
  recurring(
    { frequency: "yearly", every: "2", ends: "after", occurrences: "3" },
    422,
    "would run past 2100",
  ),
  recurring({ past: "maybe" }, 422, "Choose whether to create them"),
  url("/recurring/0x1/edit", 404, NOT_FOUND),
  url("/recurring/2147483648/delete", 404, NOT_FOUND),
  url("/recurring/%ff/edit", 400, UTF8),
  {
    name: "pause of a rule that does not exist",
    send: (ctx) => ctx.form("/recurring/2147483647/pause", {}),
    status: 404,
    says: NOT_FOUND,
  },
  url("/budgets?period=2026", 400, "Budgets are monthly"),
  url("/budgets?period=%2e%2e", 400, "Budgets are monthly"),
  // Filters
  filter("category=0x1", ID_RULE),
  filter("category=1e0", ID_RULE),
  filter("category=-1", ID_RULE),
  filter("category=9999999999", ID_RULE),
  filter("from=2026-13-01", DATE_RULE_TEXT),
  filter("from=2026-03-02&to=2026-03-01", "The end date must be on or after the start date"),
  filter("page=0", "Page must be a whole number from 1"),
  filter("page=abc", "Page must be a whole number from 1"),
  filter("kind=refund", "Choose all, expense or income"),
  filter(`q=${"q".repeat(201)}`, "A search can be at most 200 characters"),
  filter("q=%00", "Remove the NUL character"),
  // Invalid UTF-8 in URLs
  url("/?q=%ff%fe", 400, UTF8),
  url("/?q=%ED%A0%80", 400, UTF8),
  url("/?q=%C0%AF", 400, UTF8),
  url("/transactions/%ff/edit", 400, UTF8),
  url("/signin?next=%ED%A0%80", 400, UTF8),
  url("/?q=%E2%82", 400, UTF8),
  // Ids in paths
  url("/transactions/0x1/edit", 404, NOT_FOUND),
  url("/transactions/1e0/edit", 404, NOT_FOUND),
  url("/transactions/%201/edit", 404, NOT_FOUND),
  url("/transactions/-1/edit", 404, NOT_FOUND),
  url("/transactions/01/edit", 404, NOT_FOUND),
  url("/transactions/2147483648/edit", 404, NOT_FOUND),
  ...TRANSPORT_CASES,
  ...API_CASES,
  ...IMPORT_CASES,
];
