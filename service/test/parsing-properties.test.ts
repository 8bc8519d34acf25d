// Properties of the parsers that stand between user input and the database: whatever the input,
// each answers with a value or its own refusal, and never throws.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isIsoDate } from "../src/lib/dates.ts";
import { MAX_ID, parseId } from "../src/lib/ids.ts";
import { AMOUNT_RULE, centsToDecimal, parseAmount } from "../src/lib/money.ts";
import { filterQuery, transactionForm } from "../src/validation.ts";

// Strings a hostile client might send: any code units, digits and number look-alikes mixed in.
const hostile = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.stringMatching(/^[\s+\-0-9.,eExXn_]{0,16}$/),
  fc.constantFrom("Infinity", "NaN", "0x1", " 1e0 ", "1_000", "١٢", "１２", "\u0000", "\uD800"),
);

describe("parseAmount", () => {
  it("answers any input with cents or AMOUNT_RULE, never a throw", () => {
    fc.assert(
      fc.property(hostile, (input) => {
        const parsed = parseAmount(input);
        if (parsed.ok) expect(parsed.cents > 0n && parsed.cents < 100_000_000_000n).toBe(true);
        else expect(parsed.error).toBe(AMOUNT_RULE);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads back every amount it writes", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 99_999_999_999n }), (cents) => {
        expect(parseAmount(centsToDecimal(cents))).toEqual({ ok: true, cents });
      }),
    );
  });
});

describe("isIsoDate", () => {
  it("answers any input with a boolean, never a throw", () => {
    fc.assert(
      fc.property(hostile, (input) => typeof isIsoDate(input) === "boolean"),
      {
        numRuns: 2000,
      },
    );
  });

  it("accepts exactly the real calendar days from 1900 to 2100", () => {
    const day = fc.date({
      min: new Date("1900-01-01T00:00:00Z"),
      max: new Date("2100-12-31T00:00:00Z"),
      noInvalidDate: true,
    });
    fc.assert(fc.property(day, (d) => isIsoDate(d.toISOString().slice(0, 10))));
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
          expect(isIsoDate(text)).toBe(real);
        },
      ),
    );
  });
});

describe("parseId", () => {
  it("answers any input with an id whose decimal form is the input, or undefined", () => {
    fc.assert(
      fc.property(hostile, (input) => {
        const id = parseId(input);
        if (id !== undefined) {
          expect(String(id)).toBe(input);
          expect(Number.isInteger(id) && id >= 1 && id <= MAX_ID).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts every id PostgreSQL's integer column holds", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: MAX_ID }), (n) => parseId(String(n)) === n));
  });
});

describe("form schemas", () => {
  it("refuse any field values with their own messages, never throw", () => {
    const value = fc.oneof(hostile, fc.array(hostile, { maxLength: 3 }), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.record({
          kind: value,
          title: value,
          amount: value,
          categoryId: value,
          occurredOn: value,
          notes: value,
        }),
        fc.record({ from: value, to: value, category: value, kind: value, q: value, page: value }),
        (form, query) => {
          for (const result of [transactionForm.safeParse(form), filterQuery.safeParse(query)]) {
            for (const issue of result.error?.issues ?? []) {
              expect(issue.message).not.toMatch(/Invalid input|expected|Too (big|small)/);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
