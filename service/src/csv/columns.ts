// Which header column holds what, by the names banks give them (English, German, French, Dutch,
// Spanish), for the guesser.

const unit = String.raw`(?:\s*\(.*\)|\s*\[.*\]|\s+in\s+\w+|\s+[a-z]{3}|\s*[$€£])?`;
const named = (...names: string[]) => new RegExp(`^(?:${names.join("|")})${unit}$`, "i");

/** Patterns for each role, the most specific first. */
export const COLUMN_NAMES = {
  date: [
    named(
      "(?:booking|transaction|posting|posted|trans\\.?|buchungs|operation)\\s*date",
      "date",
      "buchungstag",
      "buchungsdatum",
      "datum",
      "date (?:d')?opération",
      "fecha(?: operación)?",
      "data",
      "transactiedatum",
      "boekdatum",
    ),
    /(?<!value |valuta)(date|datum|fecha)/i,
    /valuta|value date|wertstellung/i,
  ],
  payee: [
    named(
      "payee(?: name)?",
      "name",
      "merchant",
      "counterparty",
      "beg(?:ue|ü)nstigter/zahlungspflichtiger",
      "empf(?:ä|ae)nger",
      "auftraggeber(?:/empf(?:ä|ae)nger)?",
      "naam(?: / omschrijving)?",
    ),
  ],
  description: [
    named(
      "description",
      "transaction description",
      "details",
      "narrative",
      "title",
      "verwendungszweck",
      "libell[ée]",
      "omschrijving",
      "concepto",
      "purpose",
      "memo",
      "text",
      "buchungstext",
      "reference",
    ),
  ],
  amount: [named("amount", "betrag", "montant", "bedrag", "importe", "umsatz", "value", "sum")],
  debit: [
    named(
      "debits?(?: amount)?",
      "withdrawals?(?: amount)?",
      "money out",
      "paid out",
      "soll",
      "ausgang",
      "d[ée]bit",
      "out",
    ),
  ],
  credit: [
    named(
      "credits?(?: amount)?",
      "deposits?(?: amount)?",
      "money in",
      "paid in",
      "haben",
      "eingang",
      "cr[ée]dit",
      "in",
    ),
  ],
  category: [named("category", "kategorie", "cat[ée]gorie", "categoria")],
  notes: [named("notes?", "comments?", "remarks?")],
} satisfies Record<string, RegExp[]>;

export type ColumnRole = keyof typeof COLUMN_NAMES;

/** Columns that hold balances, never the amount. */
export const BALANCE = /balance|saldo|kontostand|solde/i;

/** The first header column whose name fits the role, skipping those in `taken`. */
export function columnByName(
  header: string[],
  role: ColumnRole,
  taken: ReadonlySet<string> = new Set(),
): string | undefined {
  for (const pattern of COLUMN_NAMES[role]) {
    const found = header.find((h) => h !== "" && !taken.has(h) && pattern.test(h));
    if (found) return found;
  }
  return undefined;
}
