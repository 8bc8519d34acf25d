import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import * as z from "zod";
import { DEFAULT_SORT, TRANSACTION_SORTS, type TransactionSort } from "./data/transactions.ts";
import {
  API_TOKEN_SCOPES,
  CATEGORY_COLORS,
  DATE_FORMATS,
  LIMITS,
  NUMBER_FORMATS,
  type NumberFormat,
  TRANSACTION_KINDS,
} from "./db/schema.ts";
import type { AppEnv } from "./env.ts";
import { amount, type amountIn, perFormat } from "./form-amount.ts";
import { isIsoDate, isTimeZone } from "./lib/dates.ts";
import { parseId } from "./lib/ids.ts";
import type { FieldErrors, FormValues } from "./views/form.tsx";

export const DATE_RULE = "Enter a date as YYYY-MM-DD from 1900 to 2100, such as 2026-03-31";

/** Any text field: PostgreSQL cannot store the NUL character, so it is refused up front. */
export const text = (error?: string) =>
  z
    // A field sent twice arrives as a list, a file as a File: neither is the text asked for.
    .string({ error: error ?? "Send this field once, as text" })
    .refine((v) => !v.includes("\u0000"), "Remove the NUL character from this field");

/** Trimmed text; an empty field becomes undefined. */
export const optionalText = (max: number, what: string) =>
  text()
    .trim()
    .max(max, `${what} can be at most ${max} characters`)
    .optional()
    .transform((v) => (v ? v : undefined));

export const optionalDate = z
  .string({ error: DATE_RULE })
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined))
  .refine((v) => v === undefined || isIsoDate(v), DATE_RULE);

/** A row id chosen from a list: decimal digits only (see parseId). */
export const id = (what: string) =>
  z.string({ error: `Choose a ${what} from the list` }).transform((v, ctx) => {
    const parsed = parseId(v);
    if (parsed !== undefined) return parsed;
    ctx.addIssue({ code: "custom", message: `Choose a ${what} from the list` });
    return z.NEVER;
  });

const email = text("Enter an email address, such as name@example.com")
  .trim()
  .toLowerCase()
  .max(LIMITS.emailMax, `An email address can be at most ${LIMITS.emailMax} characters`)
  .pipe(z.email("Enter an email address, such as name@example.com"));

const newPassword = z
  .string({ error: "Enter a new password of 8 to 200 characters" })
  .min(8, "Use at least 8 characters")
  .max(200, "Use at most 200 characters");

const transactionFields = (amount: ReturnType<typeof amountIn>) => ({
  kind: z.enum(TRANSACTION_KINDS, { error: "Choose expense or income" }),
  title: text("Enter a title")
    .trim()
    .min(1, "Enter a title")
    .max(LIMITS.titleMax, `A title can be at most ${LIMITS.titleMax} characters`),
  amount,
  categoryId: id("category"),
  /** Empty means today in the user's time zone. */
  occurredOn: optionalDate,
  notes: optionalText(LIMITS.notesMax, "Notes"),
  paymentMethod: optionalText(LIMITS.paymentMethodMax, "A payment method"),
});
export const transactionForm = z.object(transactionFields(amount));
/** The transaction form of a user who types amounts in `format`. */
export const transactionFormIn = perFormat((a) => z.object(transactionFields(a)));

export const filterQuery = z
  .object({
    from: optionalDate,
    to: optionalDate,
    category: z
      .string({ error: "Choose a category from the list" })
      .refine((v) => v === "" || parseId(v) !== undefined, "Choose a category from the list")
      .optional()
      .transform((v) => (v ? Number(v) : undefined)),
    kind: z
      .enum(["", ...TRANSACTION_KINDS], { error: "Choose all, expense or income" })
      .optional()
      .transform((v) => (v ? v : undefined)),
    q: optionalText(200, "A search"),
    import: z
      .string({ error: "Choose an import from the imports page" })
      .refine((v) => v === "" || parseId(v) !== undefined, "Choose an import from the imports page")
      .optional()
      .transform((v) => (v ? Number(v) : undefined)),
    sort: z
      .enum(["", ...TRANSACTION_SORTS], {
        error: `Sort by one of: ${TRANSACTION_SORTS.join(", ")}`,
      })
      .optional()
      .transform((v): TransactionSort => (v ? v : DEFAULT_SORT)),
    page: z
      .string({ error: "Page must be a whole number from 1" })
      .regex(/^(|[1-9]\d{0,5})$/, "Page must be a whole number from 1")
      .optional()
      .transform((v) => (v ? Number(v) : 1)),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    message: "The end date must be on or after the start date",
  });

export const signInForm = z.object({
  email: text("Enter your email address")
    .trim()
    .min(1, "Enter your email address")
    .max(LIMITS.emailMax, `An email address has at most ${LIMITS.emailMax} characters`),
  password: z
    .string({ error: "Enter your password" })
    .min(1, "Enter your password")
    .max(200, "A password has at most 200 characters"),
  next: z.string({ error: "The page to return to must be a path on this site" }).optional(),
});

export const accountForm = z.object({ email, password: newPassword });

export const passwordForm = z
  .object({
    current: z
      .string({ error: "Enter your current password" })
      .min(1, "Enter your current password")
      .max(200, "A password has at most 200 characters"),
    password: newPassword,
    confirm: z.string({ error: "Enter the new password again" }),
  })
  .refine((f) => f.password === f.confirm, {
    path: ["confirm"],
    message: "The two new passwords differ",
  });

export const settingsForm = z.object({
  timeZone: z
    .string({ error: "Choose a time zone from the list, such as Europe/Berlin" })
    .trim()
    .refine(isTimeZone, "Choose a time zone from the list, such as Europe/Berlin"),
  currency: z
    .string({ error: "Choose a currency code from the list, such as EUR" })
    .trim()
    .toUpperCase()
    .refine(
      (v) => Intl.supportedValuesOf("currency").includes(v),
      "Choose a currency code from the list, such as EUR",
    ),
  monthStartDay: z
    .string({ error: "Choose the day your month starts on, 1 to 28" })
    .regex(/^\d{1,2}$/, "Choose the day your month starts on, 1 to 28")
    .transform(Number)
    .refine((n) => n >= 1 && n <= 28, "Choose the day your month starts on, 1 to 28")
    .optional(),
  dateFormat: z
    .enum(DATE_FORMATS, { error: `Choose a date format: ${DATE_FORMATS.join(", ")}` })
    .optional(),
  numberFormat: z
    .enum(NUMBER_FORMATS, { error: `Choose a number format: ${NUMBER_FORMATS.join(", ")}` })
    .optional(),
});

/** First message per field; form-wide messages (no path) under `_form`. */
export function fieldErrors(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "_form";
    out[key] ??= issue.message;
  }
  return out;
}

/** Raw submitted strings, to show the form again as the user typed it. */
export function formValues(data: unknown): FormValues {
  const out: FormValues = {};
  if (data && typeof data === "object") {
    for (const [k, v] of Object.entries(data)) {
      if (typeof v === "string" && k !== "_csrf" && !/password|current|confirm/.test(k)) out[k] = v;
    }
  }
  return out;
}

type Rerender = (
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
) => Response | Promise<Response>;

/**
 * Validates a form post with `schema`. Invalid input re-renders the form (via `rerender`) with the
 * user's values and a message per field, status 422, before the handler runs, so nothing is written.
 */
export function validForm<T extends z.ZodType>(schema: T, rerender: Rerender) {
  return zValidator("form", schema, async (result, c) => {
    if (!result.success) {
      const res = await rerender(
        c as Context<AppEnv>,
        formValues(result.data),
        fieldErrors(result.error),
      );
      return new Response(res.body, { status: 422, headers: res.headers });
    }
  });
}

/**
 * validForm with the schema of the signed-in user's number format; `schema` is the default
 * format's, which fixes the type of `c.req.valid("form")`.
 */
export function validFormIn<T extends z.ZodType>(
  schema: T,
  inFormat: (f: NumberFormat) => T,
  rerender: Rerender,
) {
  const byFormat = new Map(NUMBER_FORMATS.map((f) => [f, validForm(inFormat(f), rerender)]));
  const fallback = validForm(schema, rerender);
  return ((c, next) => {
    const format = (c as Context<AppEnv>).get("user")?.numberFormat;
    return (format ? (byFormat.get(format) ?? fallback) : fallback)(c, next);
  }) as typeof fallback;
}

const categoryName = text("Enter a name")
  .trim()
  .min(1, "Enter a name")
  .max(LIMITS.categoryNameMax, `A name can be at most ${LIMITS.categoryNameMax} characters`);

const categoryColor = z
  .string({ error: "Choose a colour" })
  .regex(/^\d{1,2}$/, "Choose a colour from the list")
  .transform(Number)
  .refine((n) => n < CATEGORY_COLORS, "Choose a colour from the list");

export const categoryForm = z.object({
  name: categoryName,
  kind: z.enum(TRANSACTION_KINDS, { error: "Choose expenses or income" }),
  color: categoryColor,
});

export const categoryEditForm = z.object({ name: categoryName, color: categoryColor });

/** Removing a category: where its transactions go, if it has any (an id of the user's). */
export const categoryRemoveForm = z.object({
  moveTo: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^\d{1,10}$/.test(v), "Choose a category from the list")
    .transform((v) => (v === undefined ? undefined : Number(v))),
});

const MONTH_RULE = "Choose a month as YYYY-MM, such as 2026-03";

/** Which budget a budget form is about: `all` (all spending) or an expense category's id. */
const budgetTarget = {
  month: z
    .string({ error: MONTH_RULE })
    .regex(/^(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])$/, MONTH_RULE),
  category: z
    .string({ error: "Choose a category from the list" })
    .refine((v) => v === "all" || parseId(v) !== undefined, "Choose a category from the list")
    .transform((v) => (v === "all" ? undefined : parseId(v))),
};

export const budgetForm = z.object({ ...budgetTarget, amount });
export const budgetFormIn = perFormat((a) => z.object({ ...budgetTarget, amount: a }));
export const budgetClearForm = z.object(budgetTarget);

/** How long a new API token lasts: a number of days, or never. */
export const TOKEN_EXPIRIES = ["never", "7", "30", "90", "365"] as const;

export const apiTokenForm = z.object({
  name: text("Enter a name")
    .trim()
    .min(1, "Enter a name, such as “phone shortcut”")
    .max(LIMITS.tokenNameMax, `A name can be at most ${LIMITS.tokenNameMax} characters`),
  scope: z.enum(API_TOKEN_SCOPES, { error: "Choose read-only or read-write" }),
  expires: z.enum(TOKEN_EXPIRIES, { error: "Choose when the token expires from the list" }),
  password: z
    .string({ error: "Enter your password" })
    .min(1, "Enter your password")
    .max(200, "A password has at most 200 characters"),
});
