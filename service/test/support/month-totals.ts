// What the month_totals tests compare: the table as the triggers left it, and the same totals
// computed afresh from the transactions with GROUP BY.
import { sql } from "drizzle-orm";
import type { Db } from "../../src/db/client.ts";

export interface TotalsRow {
  user_id: number;
  month: string;
  category_id: number;
  kind: string;
  cents: string;
  count: number;
}

async function rows(db: Db, query: ReturnType<typeof sql>): Promise<TotalsRow[]> {
  return ((await db.execute(query)) as unknown as { rows: TotalsRow[] }).rows;
}

/** Every row of month_totals, in key order, amounts as text so they compare exactly. */
export function storedTotals(db: Db): Promise<TotalsRow[]> {
  return rows(
    db,
    sql`select user_id, month::text as month, category_id, kind::text as kind,
          cents::text as cents, count
        from month_totals
        order by user_id, month, category_id, kind`,
  );
}

/** The same, from the transactions; the month is spelled differently from the triggers' on purpose. */
export function groupedTransactions(db: Db): Promise<TotalsRow[]> {
  return rows(
    db,
    sql`select user_id, to_char(occurred_on, 'YYYY-MM') || '-01' as month, category_id,
          kind::text as kind, sum(amount_cents)::text as cents, count(*)::int as count
        from transactions
        group by 1, 2, 3, 4
        order by 1, 2, 3, 4`,
  );
}
