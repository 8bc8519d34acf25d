// CSV imports: each import with its settings and counts, its staged upload, and saved profiles.
import { sql } from "drizzle-orm";
import {
  check,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  serial,
  text,
  timestamp,
  unique,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";
import { users } from "./accounts.ts";
import { createdAt, LIMITS, updatedAt } from "./common.ts";

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
