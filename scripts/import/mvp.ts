// Reading the original Flask app's SQLite database (table `expense`: title, amount as a binary
// float, category, date) and turning its rows into this app's transactions.
import { DatabaseSync } from "node:sqlite";
import { LIMITS } from "../../service/src/db/schema.ts";
import { isIsoDate } from "../../service/src/lib/dates.ts";

export interface MvpRow {
  id: number;
  title: string;
  amount: number;
  category: string;
  date: string;
}

export interface ImportPlan {
  /** Rows to write, each with its source id and category name. */
  rows: {
    sourceId: number;
    title: string;
    amountCents: bigint;
    category: string;
    occurredOn: string;
  }[];
  /** Rows left out, each with the reason. */
  skipped: { sourceId: number; reason: string }[];
  /** Rows whose float amount had more than two decimals and was rounded to the cent. */
  rounded: number;
}

export class ImportError extends Error {}

/** Reads every row of the Flask app's `expense` table, read-only. */
export function readMvpDatabase(file: string): MvpRow[] {
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (err) {
    throw new ImportError(`cannot open ${file} as a SQLite database: ${(err as Error).message}`);
  }
  try {
    return db
      .prepare("select id, title, amount, category, date from expense order by id")
      .all() as unknown as MvpRow[];
  } catch (err) {
    throw new ImportError(
      `${file} has no readable expense table (is it the Flask app's local.db?): ${(err as Error).message}`,
    );
  } finally {
    db.close();
  }
}

/**
 * The amount in cents from a float the Flask app stored. The shortest decimal that reads back as
 * the same float (`String(144.8)` is "144.8") is what the user typed; more than two decimals are
 * rounded half up to the cent, in decimal, never in binary.
 */
export function floatToCents(amount: number): { cents: bigint; rounded: boolean } | undefined {
  const shortest = String(amount);
  if (!Number.isFinite(amount) || amount <= 0 || shortest.includes("e")) return undefined;
  const [units = "0", fraction = ""] = shortest.split(".");
  const kept = BigInt(units) * 100n + BigInt(fraction.slice(0, 2).padEnd(2, "0"));
  const cents = kept + (Number(fraction[2] ?? "0") >= 5 ? 1n : 0n);
  if (cents <= 0n || cents >= LIMITS.maxAmountCents) return undefined;
  return { cents, rounded: fraction.length > 2 };
}

/** Decides what each row becomes; nothing is written here. */
export function planImport(rows: MvpRow[], alreadyImported: Set<number>): ImportPlan {
  const plan: ImportPlan = { rows: [], skipped: [], rounded: 0 };
  for (const row of rows) {
    const title = String(row.title ?? "")
      .trim()
      .slice(0, LIMITS.titleMax);
    const amount = floatToCents(Number(row.amount));
    const reason = alreadyImported.has(row.id)
      ? "already imported"
      : !title || title.includes("\u0000")
        ? "no usable title"
        : !amount
          ? `amount ${row.amount} is not above 0 and below 1,000,000,000`
          : !isIsoDate(String(row.date))
            ? `date ${JSON.stringify(row.date)} is not a YYYY-MM-DD date from 1900 to 2100`
            : undefined;
    if (reason || !amount) {
      plan.skipped.push({ sourceId: row.id, reason: reason ?? "invalid" });
      continue;
    }
    if (amount.rounded) plan.rounded++;
    plan.rows.push({
      sourceId: row.id,
      title,
      amountCents: amount.cents,
      category: String(row.category ?? ""),
      occurredOn: String(row.date),
    });
  }
  return plan;
}
