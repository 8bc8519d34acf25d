// Accounts: users, their sessions and API tokens, and the answers kept for idempotent requests.
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from "drizzle-orm/pg-core";

import { createdAt, LIMITS, updatedAt } from "./common.ts";

export const theme = pgEnum("theme", ["auto", "light", "dark"]);
/** Colour modes: "auto" follows the system's light or dark preference. */
export const THEMES = theme.enumValues;
export type Theme = (typeof THEMES)[number];

export const dateFormat = pgEnum("date_format", [
  "YYYY-MM-DD",
  "DD/MM/YYYY",
  "MM/DD/YYYY",
  "DD.MM.YYYY",
]);
/** How dates are shown; the first (ISO) is the default. */
export const DATE_FORMATS = dateFormat.enumValues;
export type DateFormat = (typeof DATE_FORMATS)[number];

export const numberFormat = pgEnum("number_format", ["1,234.56", "1.234,56", "1 234,56"]);
/** How numbers are shown and typed: group and decimal separators; the first is the default. */
export const NUMBER_FORMATS = numberFormat.enumValues;
export type NumberFormat = (typeof NUMBER_FORMATS)[number];

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
    /** Colour mode of the pages. */
    theme: theme("theme").notNull().default("auto"),
    dateFormat: dateFormat("date_format").notNull().default("YYYY-MM-DD"),
    numberFormat: numberFormat("number_format").notNull().default("1,234.56"),
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
