// Migrations 0004-0006 on a copy of the schema before them, with data: existing categories become
// expense categories, every user gets "Other income", and their income moves there; afterwards
// the database refuses a transaction whose kind is not its category's.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { loadMigrations } from "../src/embedded.ts";
import {
  createThrowawayDatabase,
  requirePostgres,
  type ThrowawayDatabase,
} from "./support/postgres.ts";

const postgresReady = await requirePostgres();
const all = loadMigrations();
const before = all.slice(
  0,
  all.findIndex((m) => m.tag.startsWith("0004")),
);

for (const driver of ["embedded", "postgres"] as const) {
  describe.skipIf(driver === "postgres" && !postgresReady)(
    `the category-kind migrations [${driver}]`,
    () => {
      let database: Database;
      let throwaway: ThrowawayDatabase | undefined;
      const rows = async <T>(query: ReturnType<typeof sql>) =>
        (await database.db.execute(query)) as unknown as { rows: T[] };

      beforeAll(async () => {
        throwaway = driver === "postgres" ? await createThrowawayDatabase() : undefined;
        database = await openDatabase(throwaway ? { url: throwaway.url } : {});
        expect(before.map((m) => m.tag)).toEqual([
          "0000_init",
          "0001_trgm_extension",
          "0002_trgm_indexes",
          "0003_idempotent_requests",
        ]);
        await migrate(database.db, before);
        // Two users of the old app: five categories each, all kinds of transactions in them.
        const seed = [
          sql`insert into users (id, email, password_hash) values (1, 'a@example.test', 'x'), (2, 'b@example.test', 'x')`,
          sql`insert into categories (user_id, name)
              select u, n from (values (1), (2)) as us(u),
                unnest(array['Food', 'Transport', 'Utilities', 'Entertainment', 'Other']) as n`,
          sql`insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
              select t.u, t.k::transaction_kind, t.title, t.cents, c.id, t.d::date from (values
                (1, 'expense', 'Lunch', 1250, 'Food', '2025-01-05'),
                (1, 'income', 'Salary', 300000, 'Other', '2025-01-31'),
                (1, 'income', 'Refund', 999, 'Food', '2025-02-01'),
                (2, 'expense', 'Bus', 280, 'Transport', '2025-03-01')
              ) as t(u, k, title, cents, cat, d)
              join categories c on c.user_id = t.u and c.name = t.cat`,
        ];
        for (const statement of seed) await database.db.execute(statement);
        expect(await migrate(database.db)).toEqual(all.slice(before.length).map((m) => m.tag));
      });
      afterAll(async () => {
        await database?.close();
        await throwaway?.drop();
      });

      it("keeps every old category as an expense category, and adds Other income to each user", async () => {
        const { rows: cats } = await rows<{ user_id: number; name: string; kind: string }>(
          sql`select user_id, name, kind from categories order by user_id, kind, name`,
        );
        expect(cats.filter((c) => c.kind === "income")).toEqual([
          { user_id: 1, name: "Other income", kind: "income" },
          { user_id: 2, name: "Other income", kind: "income" },
        ]);
        expect(cats.filter((c) => c.kind === "expense")).toHaveLength(10);
      });

      it("moves income into Other income and leaves expenses where they were", async () => {
        const { rows: moved } = await rows<{ title: string; category: string; kind: string }>(
          sql`select t.title, c.name as category, c.kind from transactions t
              join categories c on c.id = t.category_id order by t.title`,
        );
        expect(moved).toEqual([
          { title: "Bus", category: "Transport", kind: "expense" },
          { title: "Lunch", category: "Food", kind: "expense" },
          { title: "Refund", category: "Other income", kind: "income" },
          { title: "Salary", category: "Other income", kind: "income" },
        ]);
      });

      it("then refuses a transaction whose kind is not its category's", async () => {
        await expect(
          database.db.execute(sql`insert into transactions
            (user_id, kind, title, amount_cents, category_id, occurred_on)
            select 1, 'income', 'Gift', 100, id, '2025-04-01' from categories
            where user_id = 1 and name = 'Food'`),
        ).rejects.toThrow();
      });

      it("and a second category named like another in other letter case", async () => {
        await expect(
          database.db.execute(sql`insert into categories (user_id, name) values (1, 'FOOD')`),
        ).rejects.toThrow();
      });
    },
  );
}
