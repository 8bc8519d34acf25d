import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

/** Limits shared by the database constraints and the form validators. */
export const LIMITS = {
  titleMax: 200,
  notesMax: 2000,
  paymentMethodMax: 50,
  categoryNameMax: 50,
  emailMax: 254,
  tokenNameMax: 100,
  importFileNameMax: 255,
  importRuleTextMax: 200,
  importProfileNameMax: 100,
  /** Amounts are stored as integer cents: 0 < cents < 10^11 (that is, below 10^9 in units). */
  maxAmountCents: 100_000_000_000n,
} as const;

/** What a new account starts with, for each kind. */
export const DEFAULT_CATEGORIES = {
  expense: ["Food", "Transport", "Housing", "Utilities", "Entertainment", "Health", "Other"],
  income: ["Salary", "Other income"],
} as const;
/** Categories a user may have at most. */
export const MAX_CATEGORIES = 200;
/** Colours a category can take: indexes into the app stylesheet's palette (`et-cat-0` to `et-cat-9`). */
export const CATEGORY_COLORS = 10;

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: serial("id").primaryKey(),
    email: varchar("email", { length: LIMITS.emailMax }).notNull(),
    passwordHash: text("password_hash").notNull(),
    isOwner: boolean("is_owner").notNull().default(false),
    /** IANA time zone name; "today" and months follow it. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** ISO 4217 code used to display amounts. */
    currency: varchar("currency", { length: 3 }).notNull().default("USD"),
    /** The day of the month a monthly period starts on (1-28), for people paid mid-month. */
    monthStartDay: smallint("month_start_day").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(sql`lower(${t.email})`),
    check("users_month_start_day_range", sql`${t.monthStartDay} between 1 and 28`),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    /** sha256 of the cookie token, so a database leak does not leak live sessions. */
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const transactionKind = pgEnum("transaction_kind", ["expense", "income"]);
export const TRANSACTION_KINDS = transactionKind.enumValues;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

export const categories = pgTable(
  "categories",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: LIMITS.categoryNameMax }).notNull(),
    /** Whether it is for expenses or for income; a transaction's kind must match. */
    kind: transactionKind("kind").notNull().default("expense"),
    /** Index into the palette (0 to CATEGORY_COLORS - 1). */
    color: smallint("color").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    // Names are unique per user whatever their case: "food" and "Food" would be one category.
    uniqueIndex("categories_user_id_lower_name_key").on(t.userId, sql`lower(${t.name})`),
    unique("categories_id_user_id_key").on(t.id, t.userId),
    unique("categories_id_user_id_kind_key").on(t.id, t.userId, t.kind),
    check(
      "categories_color_range",
      sql`${t.color} >= 0 and ${t.color} < ${sql.raw(String(CATEGORY_COLORS))}`,
    ),
    check("categories_name_not_blank", sql`length(btrim(${t.name})) > 0`),
  ],
);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => "bytea",
});

export const importStatus = pgEnum("import_status", [
  "staged",
  "queued",
  "running",
  "done",
  "failed",
]);
export const IMPORT_STATUSES = importStatus.enumValues;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * CSV imports: one row per uploaded file, from the upload (staged, awaiting the preview's confirm)
 * through the background job (queued, running) to its end (done or failed). Undoing an import
 * deletes its row, and with it the transactions it stored.
 */
export const imports = pgTable(
  "imports",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fileName: varchar("file_name", { length: LIMITS.importFileNameMax }).notNull(),
    /** The parser settings used (encoding, delimiter, columns, date format, ...), as JSON. */
    settings: jsonb("settings").notNull(),
    status: importStatus("status").notNull().default("staged"),
    /** Data rows in the file (header and skipped lines not counted). */
    rowCount: integer("row_count").notNull().default(0),
    /** Rows read so far by the background job, for its progress bar. */
    processedCount: integer("processed_count").notNull().default(0),
    importedCount: integer("imported_count").notNull().default(0),
    duplicateCount: integer("duplicate_count").notNull().default(0),
    badCount: integer("bad_count").notNull().default(0),
    /** Why a failed import failed, in words for the user. */
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    unique("imports_id_user_id_key").on(t.id, t.userId),
    index("imports_user_created_idx").on(t.userId, t.createdAt.desc().nullsFirst()),
    check("imports_file_name_not_blank", sql`length(btrim(${t.fileName})) > 0`),
  ],
);

/** The uploaded bytes of an import, kept while it is staged or running, deleted when it ends. */
export const importUploads = pgTable("import_uploads", {
  importId: integer("import_id")
    .primaryKey()
    .references(() => imports.id, { onDelete: "cascade" }),
  content: bytea("content").notNull(),
});

/**
 * Import rules the user keeps: a row whose title contains `contains` (case-insensitively) goes to
 * the category, when the row is of the category's kind. Applied in `position` order; the first
 * match wins. A rule goes with its category.
 */
export const importRules = pgTable(
  "import_rules",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    contains: varchar("contains", { length: LIMITS.importRuleTextMax }).notNull(),
    categoryId: integer("category_id").notNull(),
    kind: transactionKind("kind").notNull(),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("import_rules_user_position_idx").on(t.userId, t.position),
    foreignKey({
      name: "import_rules_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("cascade"),
    check("import_rules_contains_not_blank", sql`length(btrim(${t.contains})) > 0`),
  ],
);

/** Named parser settings the user saved after an import that worked, offered next time. */
export const importProfiles = pgTable(
  "import_profiles",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: varchar("name", { length: LIMITS.importProfileNameMax }).notNull(),
    settings: jsonb("settings").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("import_profiles_user_id_lower_name_key").on(t.userId, sql`lower(${t.name})`),
    check("import_profiles_name_not_blank", sql`length(btrim(${t.name})) > 0`),
  ],
);

export const transactions = pgTable(
  "transactions",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: transactionKind("kind").notNull(),
    title: varchar("title", { length: LIMITS.titleMax }).notNull(),
    /** Exact money: integer cents, never a float. */
    amountCents: bigint("amount_cents", { mode: "bigint" }).notNull(),
    categoryId: integer("category_id").notNull(),
    /** The calendar date the user chose, in their own time zone. */
    occurredOn: date("occurred_on", { mode: "string" }).notNull(),
    notes: varchar("notes", { length: LIMITS.notesMax }),
    paymentMethod: varchar("payment_method", { length: LIMITS.paymentMethodMax }),
    /** The CSV import that stored it; null for rows entered by hand. */
    importId: integer("import_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Serves the newest-first listing and per-month sums by date range. NULLS FIRST matches what
    // `ORDER BY ... DESC` means; with NULLS LAST the planner would not use it for the listing.
    index("transactions_user_date_idx").on(
      t.userId,
      t.occurredOn.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("transactions_category_id_idx").on(t.categoryId),
    // Serves the largest expenses of a period: the top of one kind by amount, read in order,
    // with the date range checked in the index.
    index("transactions_user_kind_amount_idx").on(
      t.userId,
      t.kind,
      t.amountCents.desc().nullsFirst(),
      t.occurredOn.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    // Text search (ILIKE '%word%') in title and notes; pg_trgm comes from migration 0001.
    index("transactions_title_trgm_idx").using("gin", sql`${t.title} gin_trgm_ops`),
    index("transactions_notes_trgm_idx").using("gin", sql`${t.notes} gin_trgm_ops`),
    // A transaction's category must belong to the same user and be of the same kind.
    foreignKey({
      name: "transactions_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("no action"),
    check(
      "transactions_amount_range",
      sql`${t.amountCents} > 0 and ${t.amountCents} < ${sql.raw(String(LIMITS.maxAmountCents))}`,
    ),
    check("transactions_title_not_blank", sql`length(btrim(${t.title})) > 0`),
    // An import's rows belong to the import's user; undoing an import (deleting it) takes them.
    foreignKey({
      name: "transactions_import_owner_fk",
      columns: [t.importId, t.userId],
      foreignColumns: [imports.id, imports.userId],
    }).onDelete("cascade"),
    index("transactions_import_id_idx").on(t.importId).where(sql`${t.importId} is not null`),
  ],
);

/**
 * Totals of the user's transactions per calendar month, category and kind, kept exact by the
 * database itself: statement-level triggers on `transactions` (migration 0009) add and subtract
 * every change, whoever makes it. A row exists only while its count is above zero. (No CHECK on the
 * count: PostgreSQL checks an upsert's proposed row, and a subtraction proposes a negative one.)
 */
export const monthTotals = pgTable(
  "month_totals",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The first day of the calendar month. */
    month: date("month", { mode: "string" }).notNull(),
    categoryId: integer("category_id").notNull(),
    kind: transactionKind("kind").notNull(),
    /** Exact sum of the amounts, in integer cents. */
    cents: bigint("cents", { mode: "bigint" }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.month, t.categoryId, t.kind] }),
    // A category cannot go while totals point at it; moving its transactions first empties them.
    foreignKey({
      name: "month_totals_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("no action"),
    check("month_totals_month_first_day", sql`extract(day from ${t.month}) = 1`),
  ],
);

/**
 * Monthly budgets: an amount for one expense category, or for all spending when `category_id` is
 * null. A row holds from its month onward, until the next row of the same category; a row with no
 * amount clears the budget from its month. Setting a budget writes the month it is set in, so the
 * months before keep the amount they had.
 */
export const budgets = pgTable(
  "budgets",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** An expense category of the user's; null for the budget of all spending. */
    categoryId: integer("category_id"),
    /** Always "expense": lets the foreign key below hold the category to expenses. */
    kind: transactionKind("kind").notNull().default("expense"),
    /** The first month it applies to, as its first day (`YYYY-MM-01`, the user's month). */
    month: date("month", { mode: "string" }).notNull(),
    /** Integer cents; null clears the budget from this month on. */
    amountCents: bigint("amount_cents", { mode: "bigint" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("budgets_user_category_month_key")
      .on(t.userId, t.categoryId, t.month)
      .nullsNotDistinct(),
    foreignKey({
      name: "budgets_category_owner_kind_fk",
      columns: [t.categoryId, t.userId, t.kind],
      foreignColumns: [categories.id, categories.userId, categories.kind],
    }).onDelete("cascade"),
    check("budgets_expense_only", sql`${t.kind} = 'expense'`),
    check("budgets_month_first_day", sql`extract(day from ${t.month}) = 1`),
    check(
      "budgets_amount_range",
      sql`${t.amountCents} is null or (${t.amountCents} > 0 and ${t.amountCents} < ${sql.raw(String(LIMITS.maxAmountCents))})`,
    ),
  ],
);

/**
 * Requests made idempotent by a key (a create form's hidden key, or an API client's
 * Idempotency-Key): the answer given, so that the same request sent again (a retry after a lost
 * answer, a double click) gets the same answer and changes nothing. Written in the same database
 * transaction as the change it records; a key counts for 24 hours.
 */
export const idempotentRequests = pgTable(
  "idempotent_requests",
  {
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: varchar("key", { length: 100 }).notNull(),
    /** sha256 of the request's method, path and fields: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    /** Where a 303 answer sent the client. */
    location: text("location"),
    /** The flash message the answer showed. */
    flash: text("flash"),
    /** A JSON answer's body. */
    body: text("body"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.key] }),
    index("idempotent_requests_user_created_idx").on(t.userId, t.createdAt),
  ],
);

export const apiTokenScope = pgEnum("api_token_scope", ["read", "read-write"]);
export const API_TOKEN_SCOPES = apiTokenScope.enumValues;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/**
 * Personal access tokens for the JSON API. A token reads `et_pat_<public_id>_<secret>`: the public
 * id finds the row, and only the sha256 of the secret is stored, so a database leak does not leak
 * live tokens. Revoking one deletes its row; they go with their user.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: serial("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The user's label for it ("phone shortcut", "bank sync"). */
    name: varchar("name", { length: LIMITS.tokenNameMax }).notNull(),
    /** Random, shown in the token itself: finds the row without comparing secrets in SQL. */
    publicId: varchar("public_id", { length: 32 }).notNull(),
    /** sha256 (hex) of the secret part. */
    secretHash: text("secret_hash").notNull(),
    scope: apiTokenScope("scope").notNull().default("read"),
    /** Null: the token never expires. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** When a request last used it, updated at most once a minute. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_tokens_public_id_key").on(t.publicId),
    index("api_tokens_user_id_idx").on(t.userId),
    check("api_tokens_name_not_blank", sql`length(btrim(${t.name})) > 0`),
  ],
);

export type User = typeof users.$inferSelect;
export type Category = typeof categories.$inferSelect;
export type Transaction = typeof transactions.$inferSelect;
export type MonthTotal = typeof monthTotals.$inferSelect;
export type Budget = typeof budgets.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Import = typeof imports.$inferSelect;
export type ImportRule = typeof importRules.$inferSelect;
export type ImportProfile = typeof importProfiles.$inferSelect;
