// The database schema, one module per area (drizzle-kit reads it from here; migrations are
// generated from it with `npm run db:generate`).
import type { apiTokens, users } from "./schema/accounts.ts";
import type { importProfiles, imports } from "./schema/imports.ts";
import type {
  budgets,
  categories,
  importRules,
  monthTotals,
  transactions,
} from "./schema/money.ts";
import type { recurringRules } from "./schema/recurring.ts";

export * from "./schema/accounts.ts";
export * from "./schema/common.ts";
export * from "./schema/imports.ts";
export * from "./schema/money.ts";
export * from "./schema/recurring.ts";

export type User = typeof users.$inferSelect;
export type Category = typeof categories.$inferSelect;
export type Transaction = typeof transactions.$inferSelect;
export type MonthTotal = typeof monthTotals.$inferSelect;
export type Budget = typeof budgets.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Import = typeof imports.$inferSelect;
export type ImportRule = typeof importRules.$inferSelect;
export type ImportProfile = typeof importProfiles.$inferSelect;
export type RecurringRule = typeof recurringRules.$inferSelect;
