// Dates and numbers in the user's formats: amounts typed and shown in each, parsed exactly, and
// an edit under each format that leaves the cents as they were.
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction, getTransaction } from "../src/data/transactions.ts";
import { NUMBER_FORMATS, users } from "../src/db/schema.ts";
import { formatDate } from "../src/lib/dates.ts";
import { amountRule, centsToDecimal, localeOf, parseAmount } from "../src/lib/money.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

const cents = (text: string, format: (typeof NUMBER_FORMATS)[number]) => {
  const r = parseAmount(text, format);
  return r.ok ? r.cents : r.error;
};

describe("parseAmount in each number format", () => {
  it("reads the format's decimal separator and groups in their places only", () => {
    expect(cents("12,50", "1.234,56")).toBe(1250n);
    expect(cents("1.234,56", "1.234,56")).toBe(123456n);
    expect(cents("1.234.567,8", "1.234,56")).toBe(123456780n);
    expect(cents("1 234,56", "1 234,56")).toBe(123456n);
    expect(cents("1\u202f234,56", "1 234,56")).toBe(123456n);
    expect(cents("1 234", "1 234,56")).toBe(123400n);
    expect(cents("1,234.56", "1,234.56")).toBe(123456n);
    expect(cents("12.5", "1,234.56")).toBe(1250n);
  });

  it.each([
    ["12.50", "1.234,56"],
    ["1.234", "1.234,56"],
    ["12.34,00", "1.234,56"],
    ["1.23,00", "1.234,56"],
    ["1.2345,00", "1.234,56"],
    ["12,50", "1,234.56"],
    ["1,234", "1,234.56"],
    ["12.50", "1 234,56"],
    ["12,505", "1.234,56"],
    ["0,00", "1.234,56"],
    ["1.000.000.000,00", "1.234,56"],
  ] as const)(
    "refuses %j in %s with the format's rule, never reading it another way",
    (text, format) => {
      expect(cents(text, format)).toBe(amountRule(format));
    },
  );

  it("gives back every amount it pre-fills and every amount Intl shows, in every format", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 99_999_999_999n }),
        fc.constantFrom(...NUMBER_FORMATS),
        (c, format) => {
          expect(cents(centsToDecimal(c, format), format)).toBe(c);
          const shown = new Intl.NumberFormat(localeOf(format), {
            minimumFractionDigits: 2,
          }).format(centsToDecimal(c) as `${number}`);
          expect(cents(shown, format)).toBe(c);
        },
      ),
    );
  });

  it("writes dates in each format", () => {
    expect(formatDate("2026-03-31", "YYYY-MM-DD")).toBe("2026-03-31");
    expect(formatDate("2026-03-31", "DD/MM/YYYY")).toBe("31/03/2026");
    expect(formatDate("2026-03-31", "MM/DD/YYYY")).toBe("03/31/2026");
    expect(formatDate("2026-03-31", "DD.MM.YYYY")).toBe("31.03.2026");
  });
});

describeEachDatabase("display formats", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current());
  });

  it.each(NUMBER_FORMATS)("an edit saved unchanged under %s keeps the cents", async (format) => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { db } = t.current();
    await agent.post("/settings", {
      timeZone: "UTC",
      currency: "EUR",
      dateFormat: "DD.MM.YYYY",
      numberFormat: format,
    });
    const stored = await db.select().from(users).where(eq(users.id, user.id));
    expect(stored[0]).toMatchObject({ numberFormat: format, dateFormat: "DD.MM.YYYY" });
    const food = (await listCategories(db, user.id)).find((c) => c.name === "Food")?.id as number;
    const id = await createTransaction(db, user.id, {
      kind: "expense",
      title: "Rent",
      amountCents: 123456789n,
      categoryId: food,
      occurredOn: "2026-03-31",
      notes: null,
      paymentMethod: null,
    });
    const form = await (await agent.get(`/transactions/${id}/edit`)).text();
    const typed = /name="amount" type="text" value="([^"]*)"/.exec(form)?.[1];
    expect(typed).toBe(centsToDecimal(123456789n, format));
    expect(form).toContain("€");
    const res = await agent.post(`/transactions/${id}`, {
      kind: "expense",
      title: "Rent",
      amount: typed ?? "",
      categoryId: String(food),
      occurredOn: "2026-03-31",
    });
    expect(res.status).toBe(303);
    expect((await getTransaction(db, user.id, id))?.amountCents).toBe(123456789n);
    // The list shows the date and the amount in the user's formats, with Intl's minus.
    const list = await (await agent.get("/transactions")).text();
    expect(list).toContain(">31.03.2026</time>");
    const shown = new Intl.NumberFormat(localeOf(format), {
      style: "currency",
      currency: "EUR",
      signDisplay: "exceptZero",
    }).format(-1234567.89);
    expect(list).toContain(shown);
  });

  it("takes 12,50 with a comma format and refuses 12.50 there, storing nothing", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const { db } = t.current();
    await db.update(users).set({ numberFormat: "1.234,56" }).where(eq(users.id, user.id));
    const food = (await listCategories(db, user.id)).find((c) => c.name === "Food")?.id as number;
    const form = await (await agent.get("/transactions/new")).text();
    const key = /name="_key" value="([^"]+)"/.exec(form)?.[1] ?? "";
    const fields = {
      kind: "expense",
      title: "Lunch",
      categoryId: String(food),
      occurredOn: "2026-03-02",
    };
    const refused = await agent.post("/transactions", { ...fields, _key: key, amount: "12.50" });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("with a decimal comma");
    const added = await agent.post("/transactions", { ...fields, _key: key, amount: "12,50" });
    expect(added.status).toBe(303);
    const list = await (await agent.get("/transactions")).text();
    expect(list).toContain("-12,50");
  });

  it("refuses a number format it does not know, naming those it does", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const res = await agent.post("/settings", {
      timeZone: "UTC",
      currency: "EUR",
      numberFormat: "1'234.56",
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose a number format: 1,234.56, 1.234,56, 1 234,56");
  });
});
