// The backup carries recurring rules (with their next and last dates, paused or not), the links of
// the transactions they added, and the display settings; a restore gives back the same.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { type BackupRefusedError, readBackup } from "../src/backup/check.ts";
import { backupFile } from "../src/backup/format.ts";
import { restoreBackup } from "../src/backup/restore.ts";
import { backupText } from "../src/backup/write.ts";
import { listCategories } from "../src/data/categories.ts";
import { createRecurringRule, pauseRecurringRule } from "../src/data/recurring.ts";
import { createUser } from "../src/data/users.ts";
import { users } from "../src/db/schema.ts";
import { runRecurringPass } from "../src/jobs/recurring-worker.ts";
import { accountData } from "./support/account-data.ts";
import { describeEachDatabase, uniqueEmail } from "./support/harness.ts";

describeEachDatabase("backup of recurring rules", (t) => {
  let db: ReturnType<typeof t.current>["db"];
  beforeAll(() => {
    db = t.current().db;
  });

  it("restores the rules, their dates and the occurrences' links exactly", async () => {
    const source = await createUser(db, { email: uniqueEmail("rules"), password: "pw-pw-pw-pw" });
    await db
      .update(users)
      .set({ numberFormat: "1.234,56", dateFormat: "DD.MM.YYYY", theme: "dark" })
      .where(eq(users.id, source.id));
    const cats = await listCategories(db, source.id);
    const id = (name: string) => cats.find((c) => c.name === name)?.id as number;
    const base = {
      notes: null,
      paymentMethod: "Card",
      every: 1,
      endsOn: null,
      occurrenceLimit: null,
    };
    await createRecurringRule(
      db,
      source.id,
      {
        ...base,
        kind: "expense",
        title: "Rent",
        amountCents: 95000n,
        categoryId: id("Housing"),
        frequency: "monthly",
        weekday: null,
        monthDay: -1,
        startsOn: "2026-01-31",
      },
      { today: "2026-03-20", createPast: true },
    );
    const gym = await createRecurringRule(
      db,
      source.id,
      {
        ...base,
        kind: "expense",
        title: "Gym",
        amountCents: 2500n,
        categoryId: id("Health"),
        frequency: "weekly",
        weekday: 1,
        monthDay: null,
        startsOn: "2026-03-02",
        occurrenceLimit: 10,
      },
      { today: "2026-03-20", createPast: true },
    );
    await createRecurringRule(
      db,
      source.id,
      {
        ...base,
        kind: "income",
        title: "Pay",
        amountCents: 300000n,
        categoryId: id("Salary"),
        frequency: "monthly",
        weekday: null,
        monthDay: 25,
        startsOn: "2026-01-25",
      },
      { today: "2026-03-20", createPast: true },
    );
    // The worker adds what fell due (by 20 March), then the gym rule is paused.
    await runRecurringPass(db, { now: () => new Date("2026-03-20T12:00:00Z") });
    await pauseRecurringRule(db, source.id, gym.id, new Date("2026-03-21T08:00:00Z"));
    const original = await accountData(db, source.id);
    expect(original.recurringRules).toHaveLength(3);
    expect(original.transactions.filter((r) => r.rule === "Rent")).toHaveLength(2);
    expect(original.transactions.filter((r) => r.rule === "Gym").length).toBeGreaterThan(0);

    const text = await backupText(db, source.id);
    const parsed = backupFile.parse(JSON.parse(text));
    expect(parsed.recurringRules.map((r) => r.title)).toEqual(["Rent", "Gym", "Pay"]);
    expect(parsed.settings).toMatchObject({ numberFormat: "1.234,56", theme: "dark" });

    const target = await createUser(db, { email: uniqueEmail("fresh"), password: "pw-pw-pw-pw" });
    const summary = await restoreBackup(
      db,
      target.id,
      readBackup(new TextEncoder().encode(text), 1e8),
    );
    expect(summary.recurringRules).toBe(3);
    expect(await accountData(db, target.id)).toEqual(original);
  });

  it("refuses an occurrence linked to a rule the file does not hold", async () => {
    const source = await createUser(db, {
      email: uniqueEmail("dangling"),
      password: "pw-pw-pw-pw",
    });
    const food = (await listCategories(db, source.id)).find((c) => c.name === "Food")?.id as number;
    const text = await backupText(db, source.id);
    const file = JSON.parse(text);
    file.transactions = [
      {
        kind: "expense",
        title: "Lunch",
        amount: "9.50",
        categoryId: food,
        occurredOn: "2026-03-02",
        notes: null,
        paymentMethod: null,
        recurringRuleId: 77,
        createdAt: file.exportedAt,
        updatedAt: file.exportedAt,
      },
    ];
    let problems: string[] = [];
    try {
      readBackup(new TextEncoder().encode(JSON.stringify(file)), 1e8);
    } catch (err) {
      problems = (err as BackupRefusedError).problems;
    }
    expect(problems).toEqual([
      "transactions[0].recurringRuleId: 77 is not the id of a recurring rule in the file",
    ]);
  });
});
