// What an import would store, before anything is stored: the first rows with the category each
// would go to, every bad row, the totals, and the category names the account does not have yet.
import type { ByteSource } from "./decode.ts";
import { isBlank } from "./records.ts";
import { parseStatement, readFileRecords, type StatementRow } from "./rows.ts";
import type { CsvSettings, PartialSettings } from "./settings.ts";

type Kind = StatementRow["kind"];

/** Rows a web import takes at most; larger files go through `npm run import:csv`. */
export const MAX_WEB_ROWS = 200_000;
/** Rows the preview shows. */
export const PREVIEW_ROWS = 20;
/** Bad rows listed one by one; beyond, a count. */
export const BAD_ROWS_LISTED = 1_000;

export interface CategoryChoice {
  id: number;
  name: string;
  kind: Kind;
}

export interface RuleChoice {
  /** Compared case-insensitively with the title. */
  contains: string;
  kind: Kind;
  categoryId: number;
}

/** Unknown names of the category column, by `categoryKey`, mapped to one of the user's categories. */
export type CategoryMap = Record<string, number>;

export const categoryKey = (kind: Kind, name: string) => `${kind}:${name.toLowerCase()}`;

const CATCH_ALL: Record<Kind, string> = { expense: "Other", income: "Other income" };

export interface Placement {
  /** The category's name, existing or to be created. */
  name: string;
  /** How it was chosen. */
  by: "column" | "mapped" | "new" | "rule" | "catch-all";
}

/**
 * Where a row would go: the same order as the import's CategoryResolver (the category column by
 * name, a mapping the user chose, a new category, the first matching rule, the kind's catch-all).
 */
export function placeRow(
  row: Pick<StatementRow, "kind" | "title" | "category">,
  categories: CategoryChoice[],
  rules: RuleChoice[],
  map: CategoryMap,
): Placement {
  const named = (kind: Kind, name: string) =>
    categories.find((c) => c.kind === kind && c.name.toLowerCase() === name.toLowerCase());
  if (row.category) {
    const found = named(row.kind, row.category);
    if (found) return { name: found.name, by: "column" };
    const mapped = categories.find(
      (c) => c.id === map[categoryKey(row.kind, row.category ?? "")] && c.kind === row.kind,
    );
    if (mapped) return { name: mapped.name, by: "mapped" };
    const otherKind = categories.some((c) => c.name.toLowerCase() === row.category?.toLowerCase());
    if (!otherKind) return { name: row.category, by: "new" };
  }
  const title = row.title.toLowerCase();
  const rule = rules.find((r) => r.kind === row.kind && title.includes(r.contains.toLowerCase()));
  const ruled = rule && categories.find((c) => c.id === rule.categoryId);
  if (ruled) return { name: ruled.name, by: "rule" };
  return { name: CATCH_ALL[row.kind], by: "catch-all" };
}

export interface PreviewRow extends StatementRow {
  line: number;
  placement: Placement;
}

export interface Preview {
  /** Data rows (blank lines not counted), good and bad. */
  rowCount: number;
  first: PreviewRow[];
  bad: { line: number; reason: string }[];
  badCount: number;
  incomeCents: bigint;
  expenseCents: bigint;
  /** Names of the category column the account lacks, with how many rows name each. */
  unknownCategories: { kind: Kind; name: string; rows: number }[];
}

/** Reads the whole file under `settings`; throws SettingsError when they do not fit its header. */
export async function previewStatement(
  source: ByteSource,
  settings: CsvSettings,
  context: { categories: CategoryChoice[]; rules: RuleChoice[]; map: CategoryMap },
): Promise<Preview> {
  const preview: Preview = {
    rowCount: 0,
    first: [],
    bad: [],
    badCount: 0,
    incomeCents: 0n,
    expenseCents: 0n,
    unknownCategories: [],
  };
  const unknown = new Map<string, { kind: Kind; name: string; rows: number }>();
  for await (const r of parseStatement(source, settings)) {
    preview.rowCount++;
    if (!r.ok) {
      preview.badCount++;
      if (preview.bad.length < BAD_ROWS_LISTED)
        preview.bad.push({ line: r.line, reason: r.reason });
      continue;
    }
    const row = r.row;
    if (row.kind === "income") preview.incomeCents += row.amountCents;
    else preview.expenseCents += row.amountCents;
    const placement =
      preview.first.length < PREVIEW_ROWS || row.category
        ? placeRow(row, context.categories, context.rules, context.map)
        : undefined;
    if (placement && preview.first.length < PREVIEW_ROWS)
      preview.first.push({ ...row, line: r.line, placement });
    if (row.category && placement && (placement.by === "new" || placement.by === "mapped")) {
      const k = categoryKey(row.kind, row.category);
      const seen = unknown.get(k) ?? { kind: row.kind, name: row.category, rows: 0 };
      seen.rows++;
      unknown.set(k, seen);
    }
  }
  preview.unknownCategories = [...unknown.values()];
  return preview;
}

/**
 * Data rows after the header under what is known of the settings (blank lines not counted):
 * cheap enough to refuse a file over MAX_WEB_ROWS before it is staged.
 */
export async function countDataRows(
  source: ByteSource,
  s: Pick<PartialSettings, "encoding" | "delimiter" | "skipRows">,
): Promise<number> {
  let n = -1; // the header
  for await (const r of readFileRecords(
    source,
    { encoding: s.encoding ?? "utf-8", delimiter: s.delimiter ?? "," },
    s.skipRows ?? 0,
  ))
    if (!isBlank(r)) n++;
  return Math.max(n, 0);
}

/** The message refusing a file with more rows than the web import takes. */
export const tooManyRows = (rows: number) =>
  `The file has ${rows.toLocaleString("en-US")} rows; the web import takes at most ${MAX_WEB_ROWS.toLocaleString("en-US")}. Split it into smaller files, or import it with npm run import:csv.`;
