// The API's request and response shapes: one zod schema each, which both validates requests and
// writes the OpenAPI document. Field names are snake_case; amounts are decimal strings.
import { z } from "@hono/zod-openapi";
import { KEY_PATTERN } from "../../data/idempotency.ts";
import { CATEGORY_COLORS, LIMITS, TRANSACTION_KINDS } from "../../db/schema.ts";
import { isIsoDate } from "../../lib/dates.ts";
import { MAX_ID } from "../../lib/ids.ts";
import { parseAmount } from "../../lib/money.ts";
import { ERROR_CODES } from "./errors.ts";

export const AMOUNT_RULE =
  'a decimal string above 0 and below 1000000000 with at most 2 decimals, such as "12", "12.5" or "12.50" (a string, not a JSON number)';
const DATE_RULE = 'an ISO date "YYYY-MM-DD" from 1900 to 2100, such as "2026-03-31"';
const MONTH_RULE = 'a month "YYYY-MM" from 1900 to 2100, such as "2026-03"';
const MONTH_PATTERN = /^(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])$/;

/** Text that PostgreSQL can store (no NUL), trimmed, within `max` characters. */
const text = (field: string, max: number, min = 0) =>
  z
    .string({
      error: `${field} must be a string of ${min ? `${min} to ` : "at most "}${max} characters`,
    })
    .refine((v) => !v.includes("\u0000"), `${field} must not contain the NUL character`)
    .trim()
    .min(min, `${field} must not be empty`)
    .max(max, `${field} can be at most ${max} characters`);

/** Optional text: null, absent or blank means none. */
const optionalText = (field: string, max: number) =>
  text(field, max)
    .nullable()
    .optional()
    .transform((v) => (v ? v : v === undefined ? undefined : null));

const rowId = (field: string, what: string) =>
  z
    .number({ error: `${field} must be the id of ${what} (a whole number)` })
    .int(`${field} must be the id of ${what} (a whole number)`)
    .min(1, `${field} must be the id of ${what} (from 1 to ${MAX_ID})`)
    .max(MAX_ID, `${field} must be the id of ${what} (from 1 to ${MAX_ID})`)
    .openapi({ example: 3 });

const API_AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

/** An amount sent by a client, as integer cents. */
const amountIn = z
  .string({ error: `amount must be ${AMOUNT_RULE}` })
  .transform((v, ctx) => {
    // Digits and a dot only: the grouped form a person may type is not the API's.
    const parsed = API_AMOUNT.test(v) ? parseAmount(v) : undefined;
    if (parsed?.ok) return parsed.cents;
    ctx.addIssue({ code: "custom", message: `amount must be ${AMOUNT_RULE}` });
    return z.NEVER;
  })
  .openapi({ type: "string", pattern: API_AMOUNT.source, example: "12.50" });

/** An amount as the API writes it: always two decimals; negative only for a net total. */
const amountOut = (description: string) =>
  z
    .string()
    .regex(/^-?\d+\.\d{2}$/)
    .openapi({ description, example: "12.50" });

const isoDate = (field: string) =>
  z
    .string({ error: `${field} must be ${DATE_RULE}` })
    .refine(isIsoDate, `${field} must be ${DATE_RULE}`)
    .openapi({ format: "date", example: "2026-03-31" });

const month = (field: string) =>
  z
    .string({ error: `${field} must be ${MONTH_RULE}` })
    .regex(MONTH_PATTERN, `${field} must be ${MONTH_RULE}`)
    .openapi({ example: "2026-03" });

const kind = z
  .enum(TRANSACTION_KINDS, { error: 'kind must be "expense" or "income"' })
  .openapi({ example: "expense" });

/** A JSON object with exactly these fields; any other field is named as unknown. */
const body = <T extends z.ZodRawShape>(what: string, shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown field for ${what}; the fields are: ${Object.keys(shape).join(", ")}`
        : `Send ${what} as a JSON object with the fields ${Object.keys(shape).join(", ")}`,
  });

// ---- Errors

export const ErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(Object.values(ERROR_CODES) as [string, ...string[]]),
      message: z
        .string()
        .openapi({ description: "One sentence saying what went wrong and what is accepted." }),
      fields: z
        .record(z.string(), z.string())
        .openapi({ description: "For bad input: one message per field (empty otherwise)." }),
    }),
  })
  .openapi("Error");

// ---- Transactions

export const TransactionSchema = z
  .strictObject({
    id: z.number().int().openapi({ example: 42 }),
    kind,
    title: z.string().openapi({ example: "Groceries" }),
    amount: amountOut("Exact amount, always with two decimals."),
    category_id: z.number().int().openapi({ example: 3 }),
    category_name: z.string().openapi({ example: "Food" }),
    occurred_on: z.string().openapi({ format: "date", example: "2026-03-14" }),
    notes: z.string().nullable(),
    payment_method: z.string().nullable(),
  })
  .openapi("Transaction");

const transactionFields = {
  kind,
  title: text("title", LIMITS.titleMax, 1).openapi({ example: "Groceries" }),
  amount: amountIn,
  category_id: rowId("category_id", "one of your categories of the same kind"),
  occurred_on: isoDate("occurred_on"),
  notes: optionalText("notes", LIMITS.notesMax),
  payment_method: optionalText("payment_method", LIMITS.paymentMethodMax),
};

export const TransactionCreateSchema = body("a transaction", {
  ...transactionFields,
  occurred_on: transactionFields.occurred_on
    .optional()
    .openapi({ description: "Default: today in your time zone." }),
}).openapi("TransactionCreate");

export const TransactionUpdateSchema = body("a transaction", {
  kind: transactionFields.kind.optional(),
  title: transactionFields.title.optional(),
  amount: transactionFields.amount.optional(),
  category_id: transactionFields.category_id.optional(),
  occurred_on: transactionFields.occurred_on.optional(),
  notes: transactionFields.notes,
  payment_method: transactionFields.payment_method,
}).openapi("TransactionUpdate", {
  description: "Only the fields sent change; null clears notes or payment_method.",
});

const TotalsSchema = z
  .strictObject({
    income: amountOut("Sum of the matching income."),
    expense: amountOut("Sum of the matching expenses."),
    net: amountOut("Income minus expenses; may be negative."),
  })
  .openapi("Totals");

export const TransactionListSchema = z
  .strictObject({
    data: z.array(TransactionSchema),
    page: z.number().int(),
    per_page: z.number().int(),
    pages: z.number().int(),
    total: z.number().int().openapi({ description: "How many transactions match the filters." }),
    totals: TotalsSchema,
  })
  .openapi("TransactionList");

/** A query parameter: absent or empty means unset. */
const optionalQuery = <O>(schema: z.ZodType<O, string>) =>
  z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(schema.optional());

export const TransactionQuerySchema = z.object({
  from: optionalQuery(isoDate("from")).openapi({
    description: "First date included.",
    example: "2026-03-01",
  }),
  to: optionalQuery(isoDate("to")).openapi({
    description: "Last date included.",
    example: "2026-03-31",
  }),
  category: optionalQuery(
    z.string().regex(/^[1-9]\d{0,9}$/, "category must be the id of one of your categories"),
  ).openapi({ description: "Only this category (an id).", example: "3" }),
  kind: optionalQuery(
    z.enum(TRANSACTION_KINDS, { error: 'kind must be "expense" or "income"' }),
  ).openapi({ description: "Only expenses or only income." }),
  q: optionalQuery(text("q", 200)).openapi({ description: "Words searched in titles and notes." }),
  page: optionalQuery(
    z.string().regex(/^[1-9]\d{0,5}$/, "page must be a whole number from 1"),
  ).openapi({
    description: "Page number, from 1 (50 transactions a page).",
    example: "1",
  }),
});

// ---- Categories

export const CategorySchema = z
  .strictObject({
    id: z.number().int().openapi({ example: 3 }),
    name: z.string().openapi({ example: "Food" }),
    kind,
    color: z
      .number()
      .int()
      .min(0)
      .max(CATEGORY_COLORS - 1),
  })
  .openapi("Category");

export const CategoryListSchema = z
  .strictObject({ data: z.array(CategorySchema) })
  .openapi("CategoryList");

const categoryColor = z
  .number({ error: `color must be a whole number from 0 to ${CATEGORY_COLORS - 1}` })
  .int(`color must be a whole number from 0 to ${CATEGORY_COLORS - 1}`)
  .min(0, `color must be a whole number from 0 to ${CATEGORY_COLORS - 1}`)
  .max(CATEGORY_COLORS - 1, `color must be a whole number from 0 to ${CATEGORY_COLORS - 1}`);

export const CategoryCreateSchema = body("a category", {
  name: text("name", LIMITS.categoryNameMax, 1).openapi({ example: "Books" }),
  kind,
  color: categoryColor.optional().openapi({ description: "Palette index; default 0." }),
}).openapi("CategoryCreate");

export const CategoryUpdateSchema = body("a category", {
  name: text("name", LIMITS.categoryNameMax, 1).optional(),
  color: categoryColor.optional(),
}).openapi("CategoryUpdate", { description: "Only the fields sent change; the kind cannot." });

export const CategoryDeleteQuerySchema = z.object({
  move_to: optionalQuery(
    z.string().regex(/^[1-9]\d{0,9}$/, "move_to must be the id of another of your categories"),
  ).openapi({ description: "Where its transactions go (a category of the same kind)." }),
});

// ---- Budgets

export const BudgetSchema = z
  .strictObject({
    category_id: z.number().int().nullable().openapi({ description: "Null: all spending." }),
    category_name: z.string().nullable(),
    amount: amountOut("The monthly amount."),
    since: z.string().openapi({ description: "The month it was set from.", example: "2026-01" }),
    spent: amountOut("Expenses so far in the month (of that category, or all)."),
  })
  .openapi("Budget");

export const BudgetMonthSchema = z
  .strictObject({
    month: z.string().openapi({ example: "2026-03" }),
    from: z.string().openapi({ format: "date" }),
    to: z.string().openapi({ format: "date" }),
    editable: z.boolean().openapi({ description: "False for months before the current one." }),
    budgets: z.array(BudgetSchema),
  })
  .openapi("BudgetMonth");

export const BudgetQuerySchema = z.object({
  month: optionalQuery(month("month")).openapi({ description: "Default: the current month." }),
});

export const BudgetSetSchema = body("a budget", {
  category_id: rowId("category_id", "one of your expense categories")
    .nullable()
    .openapi({ description: "Null: the budget of all spending." }),
  month: month("month")
    .optional()
    .openapi({ description: "From this month on; default the current month." }),
  amount: amountIn.nullable().openapi({ description: "Null clears the budget from the month on." }),
}).openapi("BudgetSet");

// ---- Shared parameters

export const IdParamSchema = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .openapi({ param: { name: "id", in: "path" }, example: "42" }),
});

export const IdempotencyHeaderSchema = z.object({
  "Idempotency-Key": z
    .string()
    .regex(KEY_PATTERN, "Idempotency-Key must be 16 to 100 letters, digits, - or _")
    .optional()
    .openapi({
      description:
        "Sent again with the same key and body within 24 hours, the request returns the first answer and changes nothing.",
      example: "3f0c1e4b-7a2d-4c55-9e1a-0b6f2d8c9a17",
    }),
});
