// The stack config that asks for the database to be restored from an RDS snapshot or to a point
// in time. The rules that keep a restored instance in place are in database-rules.ts.

/** What the database was (or is to be) restored from. */
export type DbRestore =
  | { snapshot: string }
  | {
      /** The RDS instance whose automated backups are used. */
      source: string;
      /** A UTC time (`2026-11-20T08:00:00Z`), or `latest` for the latest restorable time. */
      time: string;
    };

/** What the config asks for; the source of a point-in-time restore may be left to the stack. */
export type DbRestoreRequest = { snapshot: string } | { source: string | undefined; time: string };

/** The config keys read here. */
export const RESTORE_KEYS = ["dbRestoreSnapshot", "dbRestoreTime", "dbRestoreSource"] as const;

// A snapshot identifier (manual `my-snap`, automated `rds:name-2026-11-20-03-10`) or its ARN.
const SNAPSHOT =
  /^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:)?(rds:)?[a-zA-Z][a-zA-Z0-9-]{0,254}$/;
const INSTANCE = /^[a-z][a-z0-9-]{0,62}$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Reads the restore keys. `problem(key, message)` records a refusal in validateConfig's words.
 * dbRestoreSnapshot and dbRestoreTime exclude each other; dbRestoreSource only goes with a time.
 */
export function parseRestore(
  raw: Record<string, string | undefined>,
  problem: (key: string, message: string) => void,
): DbRestoreRequest | undefined {
  const snapshot = raw.dbRestoreSnapshot?.trim();
  const time = raw.dbRestoreTime?.trim();
  const source = raw.dbRestoreSource?.trim();
  if (snapshot && time) {
    problem(
      "dbRestoreSnapshot",
      "and dbRestoreTime exclude each other: restore from one or the other",
    );
    return undefined;
  }
  if (source && !time) {
    problem("dbRestoreSource", "needs dbRestoreTime: the time to restore that instance to");
    return undefined;
  }
  if (snapshot) {
    if (!SNAPSHOT.test(snapshot)) {
      problem(
        "dbRestoreSnapshot",
        "is not an RDS snapshot identifier or ARN, such as expense-tracker-final-prod-1a2b3c4d or rds:expense-tracker-prod-1a2b3c4d-2026-11-20-03-10",
      );
      return undefined;
    }
    return { snapshot };
  }
  if (!time) return undefined;
  let ok = true;
  if (time !== "latest" && !(UTC_TIME.test(time) && !Number.isNaN(Date.parse(time)))) {
    problem("dbRestoreTime", "is not a UTC time such as 2026-11-20T08:00:00Z, or latest");
    ok = false;
  }
  if (source !== undefined && !INSTANCE.test(source)) {
    problem(
      "dbRestoreSource",
      "is not an RDS instance identifier (lowercase letters, digits, hyphens)",
    );
    ok = false;
  }
  return ok ? { source, time } : undefined;
}
