// Writes a planned import into a user's account: all rows in one transaction, or none.
import { and, eq, like } from "drizzle-orm";
import { listCategories } from "../../service/src/data/categories.ts";
import { createTransaction } from "../../service/src/data/transactions.ts";
import { findUserByEmail } from "../../service/src/data/users.ts";
import type { Db } from "../../service/src/db/client.ts";
import { transactions } from "../../service/src/db/schema.ts";
import { ImportError, type ImportPlan, planImport, readMvpDatabase } from "./mvp.ts";

/** Each imported row's notes name its source row, so a second run skips what is already there. */
const MARKER = "Imported from the Flask app (expense #";
const marker = (id: number) => `${MARKER}${id})`;

export interface ImportReport extends ImportPlan {
  /** Rows written (0 in a dry run). */
  written: number;
}

export async function importMvp(
  db: Db,
  options: { file: string; email: string; dryRun?: boolean },
): Promise<ImportReport> {
  const user = await findUserByEmail(db, options.email);
  if (!user)
    throw new ImportError(
      `no account with the email ${options.email}: create it first (npm run user:add)`,
    );
  const source = readMvpDatabase(options.file);

  const previous = await db
    .select({ notes: transactions.notes })
    .from(transactions)
    .where(and(eq(transactions.userId, user.id), like(transactions.notes, `${MARKER}%`)));
  const done = new Set(previous.map((r) => Number(/#(\d+)\)/.exec(r.notes ?? "")?.[1])));
  const plan = planImport(source, done);

  const categories = await listCategories(db, user.id);
  const byName = new Map(categories.map((c) => [c.name.toLowerCase(), c.id]));
  const other = byName.get("other") ?? categories[0]?.id;
  if (other === undefined)
    throw new ImportError(`${options.email} has no categories to import into`);

  if (!options.dryRun && plan.rows.length > 0) {
    await db.transaction(async (tx) => {
      for (const row of plan.rows) {
        await createTransaction(tx as unknown as Db, user.id, {
          kind: "expense",
          title: row.title,
          amountCents: row.amountCents,
          categoryId: byName.get(row.category.toLowerCase()) ?? other,
          occurredOn: row.occurredOn,
          notes: marker(row.sourceId),
          paymentMethod: null,
        });
      }
    });
  }
  return { ...plan, written: options.dryRun ? 0 : plan.rows.length };
}
