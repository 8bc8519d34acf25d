// The records of a backup file, checked by the same rules as the form that makes each, and every
// reference to a category checked against the file's own categories. Nothing here touches the
// database.
import type * as z from "zod";
import {
  type DateFormat,
  LIMITS,
  MAX_CATEGORIES,
  type NumberFormat,
  type Theme,
  type TransactionKind,
} from "../db/schema.ts";
import { isIsoDate } from "../lib/dates.ts";
import { parseAmount } from "../lib/money.ts";
import {
  budgetClearForm,
  budgetForm,
  categoryForm,
  settingsForm,
  transactionForm,
} from "../validation.ts";
import type { BackupFile, RecurringRuleRecord } from "./format.ts";
import { BackupRefusedError, checkShape, parseBackupBytes, refused } from "./parse.ts";

export { BackupRefusedError };

export interface PlannedCategory {
  fileId: number;
  name: string;
  kind: TransactionKind;
  color: number;
  createdAt: string;
}

export interface RestorePlan {
  settings: {
    timeZone: string;
    currency: string;
    monthStartDay: number;
    dateFormat: DateFormat;
    numberFormat: NumberFormat;
    theme: Theme;
  };
  categories: PlannedCategory[];
  /** `month` as its first day; `categoryFileId` null for all spending. */
  budgets: {
    categoryFileId: number | null;
    month: string;
    amountCents: bigint | null;
    createdAt: string;
  }[];
  importRules: {
    contains: string;
    categoryFileId: number;
    kind: TransactionKind;
    position: number;
    createdAt: string;
  }[];
  /** Rules as the file has them, their amount in cents and their category still the file's. */
  recurringRules: (Omit<RecurringRuleRecord, "amount"> & { amountCents: bigint })[];
  transactions: {
    kind: TransactionKind;
    title: string;
    amountCents: bigint;
    categoryFileId: number;
    recurringRuleFileId: number | null;
    occurredOn: string;
    notes: string | null;
    paymentMethod: string | null;
    createdAt: string;
    updatedAt: string;
  }[];
}

/** The first message a form schema gives for these fields, or undefined when it accepts them. */
function formProblem(schema: z.ZodType, fields: Record<string, string>): string | undefined {
  const result = schema.safeParse(fields);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  return issue ? `${issue.path.map(String).join(".") || "record"}: ${issue.message}` : "invalid";
}

/** Text kept as the file has it: the form trims before it measures, the column does not. */
function rawProblem(value: string | null, field: string, max: number): string | undefined {
  if (value === null) return undefined;
  if (value.includes("\u0000")) return `${field}: Remove the NUL character from this field`;
  if (value.length > max) return `${field}: can be at most ${max} characters`;
  return undefined;
}

/** Checks every record as its form would, and every category reference; the plan to write. */
export function checkBackup(file: BackupFile): RestorePlan {
  const problems: string[] = [];
  const note = (at: string, problem: string | undefined) => {
    if (problem) problems.push(`${at}.${problem}`);
  };

  const settingsFields = {
    timeZone: file.settings.timeZone,
    currency: file.settings.currency,
    monthStartDay: String(file.settings.monthStartDay),
    dateFormat: file.settings.dateFormat,
    numberFormat: file.settings.numberFormat,
  };
  note("settings", formProblem(settingsForm, settingsFields));

  if (file.categories.length > MAX_CATEGORIES) {
    problems.push(
      `categories: ${file.categories.length} categories; an account has at most ${MAX_CATEGORIES}`,
    );
  }
  const byId = new Map<number, PlannedCategory>();
  const names = new Set<string>();
  file.categories.forEach((c, i) => {
    const at = `categories[${i}]`;
    note(at, formProblem(categoryForm, { name: c.name, kind: c.kind, color: String(c.color) }));
    note(at, rawProblem(c.name, "name", LIMITS.categoryNameMax));
    if (byId.has(c.id))
      problems.push(`${at}.id: ${c.id} is the id of another category in the file`);
    const key = c.name.toLowerCase();
    if (names.has(key))
      problems.push(
        `${at}.name: another category is named “${c.name}” (names are compared without regard to case)`,
      );
    names.add(key);
    byId.set(c.id, {
      fileId: c.id,
      name: c.name,
      kind: c.kind,
      color: c.color,
      createdAt: c.createdAt,
    });
  });

  const category = (at: string, id: number, kind?: TransactionKind) => {
    const found = byId.get(id);
    if (!found) problems.push(`${at}.categoryId: ${id} is not the id of a category in the file`);
    else if (kind && found.kind !== kind)
      problems.push(
        `${at}.categoryId: ${id} is an ${found.kind} category; this record is ${kind === "expense" ? "an expense" : "income"}`,
      );
  };

  const budgetKeys = new Set<string>();
  const budgets: RestorePlan["budgets"] = file.budgets.map((b, i) => {
    const at = `budgets[${i}]`;
    const fields = {
      month: b.month,
      category: b.categoryId === null ? "all" : String(b.categoryId),
    };
    note(
      at,
      b.amount === null
        ? formProblem(budgetClearForm, fields)
        : formProblem(budgetForm, { ...fields, amount: b.amount }),
    );
    if (b.categoryId !== null) category(at, b.categoryId, "expense");
    const key = `${b.categoryId}|${b.month}`;
    if (budgetKeys.has(key))
      problems.push(`${at}: another budget of the same category is set in ${b.month}`);
    budgetKeys.add(key);
    return {
      categoryFileId: b.categoryId,
      month: `${b.month}-01`,
      amountCents: b.amount === null ? null : parseCents(b.amount),
      createdAt: b.createdAt,
    };
  });

  const importRules: RestorePlan["importRules"] = file.importRules.map((r, i) => {
    const at = `importRules[${i}]`;
    if (!r.contains.trim() || r.contains.trim().length > LIMITS.importRuleTextMax)
      problems.push(
        `${at}.contains: Enter the text a title contains: 1 to ${LIMITS.importRuleTextMax} characters`,
      );
    note(at, rawProblem(r.contains, "contains", LIMITS.importRuleTextMax));
    if (Math.abs(r.position) > 2_147_483_647)
      problems.push(`${at}.position: must fit a 32-bit whole number`);
    category(at, r.categoryId);
    return {
      contains: r.contains,
      categoryFileId: r.categoryId,
      kind: byId.get(r.categoryId)?.kind ?? "expense",
      position: r.position,
      createdAt: r.createdAt,
    };
  });

  const ruleIds = new Set<number>();
  const recurringRules: RestorePlan["recurringRules"] = file.recurringRules.map((r, i) => {
    const at = `recurringRules[${i}]`;
    if (ruleIds.has(r.id)) problems.push(`${at}.id: ${r.id} is the id of another rule in the file`);
    ruleIds.add(r.id);
    if (!r.title.trim()) problems.push(`${at}.title: Enter a title`);
    note(at, rawProblem(r.title, "title", LIMITS.titleMax));
    note(at, rawProblem(r.notes, "notes", LIMITS.notesMax));
    note(at, rawProblem(r.paymentMethod, "paymentMethod", LIMITS.paymentMethodMax));
    const amount = parseAmount(r.amount);
    if (!amount.ok) problems.push(`${at}.amount: ${amount.error}`);
    category(at, r.categoryId, r.kind);
    if ((r.frequency === "weekly") !== (r.weekday !== null))
      problems.push(`${at}.weekday: a weekly rule has a weekday, and only a weekly one`);
    if ((r.frequency === "monthly") !== (r.monthDay !== null))
      problems.push(
        `${at}.monthDay: a monthly rule has a day of the month, and only a monthly one`,
      );
    for (const field of ["startsOn", "endsOn", "nextOccurrenceOn", "lastOccurrenceOn"] as const) {
      const value = r[field];
      if (value !== null && !isIsoDate(value))
        problems.push(`${at}.${field}: Enter a date as YYYY-MM-DD from 1900 to 2100`);
    }
    const { amount: _, ...rest } = r;
    return { ...rest, amountCents: amount.ok ? amount.cents : 0n };
  });

  const transactions: RestorePlan["transactions"] = file.transactions.map((t, i) => {
    const at = `transactions[${i}]`;
    note(
      at,
      t.occurredOn === ""
        ? "occurredOn: Enter a date as YYYY-MM-DD from 1900 to 2100, such as 2026-03-31"
        : formProblem(transactionForm, {
            kind: t.kind,
            title: t.title,
            amount: t.amount,
            categoryId: String(t.categoryId),
            occurredOn: t.occurredOn,
            notes: t.notes ?? "",
            paymentMethod: t.paymentMethod ?? "",
          }),
    );
    note(at, rawProblem(t.title, "title", LIMITS.titleMax));
    note(at, rawProblem(t.notes, "notes", LIMITS.notesMax));
    note(at, rawProblem(t.paymentMethod, "paymentMethod", LIMITS.paymentMethodMax));
    category(at, t.categoryId, t.kind);
    if (t.recurringRuleId !== null && !ruleIds.has(t.recurringRuleId))
      problems.push(
        `${at}.recurringRuleId: ${t.recurringRuleId} is not the id of a recurring rule in the file`,
      );
    return {
      kind: t.kind,
      title: t.title,
      amountCents: parseCents(t.amount),
      categoryFileId: t.categoryId,
      recurringRuleFileId: t.recurringRuleId,
      occurredOn: t.occurredOn,
      notes: t.notes,
      paymentMethod: t.paymentMethod,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  });

  if (problems.length > 0) throw refused(problems);
  const s = settingsForm.parse(settingsFields);
  return {
    settings: {
      timeZone: s.timeZone,
      currency: s.currency,
      monthStartDay: s.monthStartDay ?? 1,
      dateFormat: file.settings.dateFormat,
      numberFormat: file.settings.numberFormat,
      theme: file.settings.theme,
    },
    categories: [...byId.values()],
    budgets,
    importRules,
    recurringRules,
    transactions,
  };
}

/** Cents of an amount the form already accepted; 0n for one it refused (the plan is not used). */
function parseCents(amount: string): bigint {
  const parsed = parseAmount(amount);
  return parsed.ok ? parsed.cents : 0n;
}

/** Bytes to a plan: every check above, in order. */
export function readBackup(bytes: Uint8Array, maxBytes: number): RestorePlan {
  return checkBackup(checkShape(parseBackupBytes(bytes, maxBytes)));
}
