// The filtered list in full, for the CSV export: read in pages by key, never all at once.
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { ExportRow } from "../csv/export.ts";
import type { Db } from "../db/client.ts";
import { categories, transactions } from "../db/schema.ts";
import { filterWhere, type TransactionFilter } from "./transactions.ts";

const PAGE = 1000;

/** Every transaction the filter matches, newest first, as the export writes them. */
export async function* exportRows(
  db: Db,
  userId: number,
  filter: TransactionFilter,
): AsyncGenerator<ExportRow> {
  let after: { occurredOn: string; id: number } | undefined;
  for (;;) {
    const rows = await db
      .select({
        id: transactions.id,
        occurredOn: transactions.occurredOn,
        kind: transactions.kind,
        amountCents: transactions.amountCents,
        title: transactions.title,
        categoryName: categories.name,
        notes: transactions.notes,
        paymentMethod: transactions.paymentMethod,
      })
      .from(transactions)
      .innerJoin(categories, eq(categories.id, transactions.categoryId))
      .where(
        and(
          filterWhere(userId, filter),
          after
            ? or(
                lt(transactions.occurredOn, after.occurredOn),
                and(eq(transactions.occurredOn, after.occurredOn), lt(transactions.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(transactions.occurredOn), desc(transactions.id))
      .limit(PAGE);
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = { occurredOn: last.occurredOn, id: last.id };
  }
}
