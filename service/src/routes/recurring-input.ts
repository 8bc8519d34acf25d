// The recurring rule form's fields, validated: what the add and edit pages accept.
import * as z from "zod";
import type { RecurringRuleInput } from "../data/recurring.ts";
import { LIMITS, RECURRING_FREQUENCIES, TRANSACTION_KINDS } from "../db/schema.ts";
import { amount, type amountIn, perFormat } from "../form-amount.ts";
import { isIsoDate } from "../lib/dates.ts";
import { LAST_DAY } from "../lib/recurrence.ts";
import { DATE_RULE, id, optionalDate, optionalText, text } from "../validation.ts";

const EVERY_RULE = `Enter how often as a whole number from 1 to ${LIMITS.recurringEveryMax}`;
const COUNT_RULE = `Enter a number of occurrences from 1 to ${LIMITS.recurringOccurrencesMax}`;
const WEEKDAY_RULE = "Choose the day of the week from the list";
const MONTH_DAY_RULE = "Choose the day of the month from the list, or the last day";

/** Where a rule ends: never, on a date, or after a number of occurrences. */
export const END_CHOICES = ["never", "on", "after"] as const;

const whole = (rule: string, max: number) =>
  z
    .string({ error: rule })
    .trim()
    .regex(/^\d{1,4}$/, rule)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, rule);

const optionalWhole = (rule: string, max: number) =>
  z
    .string({ error: rule })
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine(
      (v) => v === undefined || (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= max),
      rule,
    )
    .transform((v) => (v === undefined ? undefined : Number(v)));

/** The rule form, its amount typed in `amount`'s number format. */
const recurringSchema = (amount: ReturnType<typeof amountIn>) =>
  z
    .object({
      kind: z.enum(TRANSACTION_KINDS, { error: "Choose expense or income" }),
      title: text("Enter a title")
        .trim()
        .min(1, "Enter a title")
        .max(LIMITS.titleMax, `A title can be at most ${LIMITS.titleMax} characters`),
      amount,
      categoryId: id("category"),
      notes: optionalText(LIMITS.notesMax, "Notes"),
      paymentMethod: optionalText(LIMITS.paymentMethodMax, "A payment method"),
      frequency: z.enum(RECURRING_FREQUENCIES, { error: "Choose weekly, monthly or yearly" }),
      every: whole(EVERY_RULE, LIMITS.recurringEveryMax),
      weekday: optionalWhole(WEEKDAY_RULE, 7),
      monthDay: z
        .string({ error: MONTH_DAY_RULE })
        .trim()
        .optional()
        .transform((v) => (v ? v : undefined))
        .refine(
          (v) =>
            v === undefined ||
            v === "last" ||
            (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= 31),
          MONTH_DAY_RULE,
        )
        .transform((v) => (v === undefined ? undefined : v === "last" ? LAST_DAY : Number(v))),
      startsOn: z
        .string({ error: DATE_RULE })
        .trim()
        .refine((v) => isIsoDate(v), DATE_RULE),
      ends: z.enum(END_CHOICES, { error: "Choose when the rule ends" }).optional().default("never"),
      endsOn: optionalDate,
      occurrences: optionalWhole(COUNT_RULE, LIMITS.recurringOccurrencesMax),
      /** The answer to "create the past occurrences?" for a new rule starting in the past. */
      past: z
        .enum(["create", "skip", "back"], { error: "Choose whether to create them" })
        .optional(),
    })
    .superRefine((f, ctx) => {
      if (f.frequency === "weekly" && f.weekday === undefined) {
        ctx.addIssue({ code: "custom", path: ["weekday"], message: WEEKDAY_RULE });
      }
      if (f.frequency === "monthly" && f.monthDay === undefined) {
        ctx.addIssue({ code: "custom", path: ["monthDay"], message: MONTH_DAY_RULE });
      }
      if (f.ends === "on" && !f.endsOn) {
        ctx.addIssue({ code: "custom", path: ["endsOn"], message: "Enter the date it ends on" });
      } else if (f.ends === "on" && f.endsOn && f.endsOn < f.startsOn) {
        ctx.addIssue({
          code: "custom",
          path: ["endsOn"],
          message: "The end date must be on or after the start date",
        });
      }
      if (f.ends === "after" && f.occurrences === undefined) {
        ctx.addIssue({ code: "custom", path: ["occurrences"], message: COUNT_RULE });
      }
    });

export const recurringForm = recurringSchema(amount);
/** The rule form of a user who types amounts in that number format. */
export const recurringFormIn = perFormat(recurringSchema);

export type RecurringForm = z.infer<typeof recurringForm>;

/** The rule a valid form describes (its category still to be checked against the user's). */
export function toRuleInput(f: RecurringForm): RecurringRuleInput {
  return {
    kind: f.kind,
    title: f.title,
    amountCents: f.amount,
    categoryId: f.categoryId,
    notes: f.notes ?? null,
    paymentMethod: f.paymentMethod ?? null,
    frequency: f.frequency,
    every: f.every,
    weekday: f.frequency === "weekly" ? (f.weekday ?? null) : null,
    monthDay: f.frequency === "monthly" ? (f.monthDay ?? null) : null,
    startsOn: f.startsOn,
    endsOn: f.ends === "on" ? (f.endsOn ?? null) : null,
    occurrenceLimit: f.ends === "after" ? (f.occurrences ?? null) : null,
  };
}
