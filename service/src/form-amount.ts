// The amount field of the forms, in the signed-in user's number format: one schema per format.
import * as z from "zod";
import { NUMBER_FORMATS, type NumberFormat } from "./db/schema.ts";
import { amountRule, DEFAULT_NUMBER_FORMAT, parseAmount } from "./lib/money.ts";

/** An amount typed in a form in the user's number format, as integer cents. */
export const amountIn = (format: NumberFormat) =>
  z.string({ error: amountRule(format) }).transform((v, ctx) => {
    const parsed = parseAmount(v, format);
    if (parsed.ok) return parsed.cents;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  });
export const amount = amountIn(DEFAULT_NUMBER_FORMAT);

/** A form's schema in each number format (its amount fields follow the format). */
export function perFormat<T>(
  build: (amount: ReturnType<typeof amountIn>) => T,
): (f: NumberFormat) => T {
  const built = new Map(NUMBER_FORMATS.map((f) => [f, build(amountIn(f))]));
  return (f) => built.get(f) as T;
}
