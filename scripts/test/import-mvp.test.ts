import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listTransactions, totalTransactions } from "../../service/src/data/transactions.ts";
import { createUser } from "../../service/src/data/users.ts";
import {
  describeEachDatabase,
  TEST_PASSWORD,
  uniqueEmail,
} from "../../service/test/support/harness.ts";
import { floatToCents, ImportError, readMvpDatabase } from "../import/mvp.ts";
import { importMvp } from "../import/run.ts";

const FIXTURE = new URL("./fixtures/flask-mvp-local.db", import.meta.url).pathname;

describe("floatToCents", () => {
  it.each([
    [144.8, 14480n, false],
    [0.89, 89n, false],
    [499.97, 49997n, false],
    [0.1 + 0.2, 30n, true],
    [12.345, 1235n, true],
    [999999999.99, 99999999999n, false],
  ])("%s -> %s cents (rounded: %s)", (amount, cents, rounded) => {
    expect(floatToCents(amount)).toEqual({ cents, rounded });
  });

  it.each([0, -5, 0.001, 1e-7, 1e9, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses %s",
    (amount) => {
      expect(floatToCents(amount)).toBeUndefined();
    },
  );
});

describe("reading the Flask app's database", () => {
  it("reads all 300 rows of the fixture, titles byte for byte", () => {
    const rows = readMvpDatabase(FIXTURE);
    expect(rows).toHaveLength(300);
    expect(rows.map((r) => r.title)).toContain("<script>alert(1)</script>");
    expect(rows.map((r) => r.title)).toContain("東京 ramen");
  });

  it("says what is wrong with a file that is not such a database", () => {
    const bogus = join(tmpdir(), `not-a-db-${process.pid}.db`);
    writeFileSync(bogus, "hello");
    expect(() => readMvpDatabase(bogus)).toThrow(ImportError);
    expect(() => readMvpDatabase("/nonexistent/local.db")).toThrow(
      /cannot open \/nonexistent\/local.db/,
    );
  });
});

describeEachDatabase("importing the Flask app's expenses", (t) => {
  it("imports every row exactly once, to the cent, into the right categories", async () => {
    const email = uniqueEmail("mvp");
    const user = await createUser(t.current().db, { email, password: TEST_PASSWORD });
    const dry = await importMvp(t.current().db, { file: FIXTURE, email, dryRun: true });
    expect(dry).toMatchObject({ written: 0, skipped: [] });
    expect((await totalTransactions(t.current().db, user.id, {})).count).toBe(0);

    const report = await importMvp(t.current().db, { file: FIXTURE, email });
    expect(report.written).toBe(300);
    const totals = await totalTransactions(t.current().db, user.id, {});
    expect(totals.count).toBe(300);
    // The source's amounts, summed as decimals: sqlite3 says printf('%.2f', sum(amount)) = 70709.69.
    expect(totals.expenseCents).toBe(7_070_969n);
    expect(report.rows.reduce((s, r) => s + r.amountCents, 0n)).toBe(totals.expenseCents);

    const food = await listTransactions(t.current().db, user.id, { q: "<script>" }, 1);
    expect(food[0]).toMatchObject({ title: "<script>alert(1)</script>", kind: "expense" });
    const tokyo = await listTransactions(t.current().db, user.id, { q: "東京" }, 1);
    expect(tokyo).toHaveLength(1);
    const byCategory = await listTransactions(
      t.current().db,
      user.id,
      { from: "2025-01-01", to: "2025-12-31" },
      1,
    );
    expect(
      byCategory.every((r) =>
        ["Food", "Transport", "Utilities", "Entertainment", "Other"].includes(r.categoryName),
      ),
    ).toBe(true);

    const again = await importMvp(t.current().db, { file: FIXTURE, email });
    expect(again.written).toBe(0);
    expect(again.skipped).toHaveLength(300);
    expect((await totalTransactions(t.current().db, user.id, {})).count).toBe(300);
  });

  it("refuses an unknown account and writes nothing", async () => {
    await expect(
      importMvp(t.current().db, { file: FIXTURE, email: "nobody@example.test" }),
    ).rejects.toThrow(
      "no account with the email nobody@example.test: create it first (npm run user:add)",
    );
  });
});
