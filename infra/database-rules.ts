// Pure rules for the database's lifecycle: which engine changes a deploy may make, the name of
// the snapshot a destroy leaves behind, and which restore a deploy declares.
import { createHash } from "node:crypto";
import { PROJECT, StackConfigError } from "./config.ts";
import type { DbRestore, DbRestoreRequest } from "./database-restore.ts";

/** RDS's daily backup window (UTC). */
export const DB_BACKUP_WINDOW = "03:00-04:00";
/** RDS's weekly maintenance window (UTC), after the backup window. */
export const DB_MAINTENANCE_WINDOW = "sun:04:30-sun:05:30";

/**
 * Whether this deploy moves the database to a new PostgreSQL major version. `deployed` is the
 * major the stack last deployed (undefined on a first deploy). Throws StackConfigError for a
 * downgrade, which RDS cannot do, and for a major upgrade without `applyImmediately`: deferred to
 * the maintenance window, the upgrade keeps the old parameter group (of the old family) in use,
 * and Pulumi's deletion of that group fails.
 */
export function isMajorUpgrade(
  deployed: string | undefined,
  next: string,
  applyImmediately: boolean,
): boolean {
  if (deployed === undefined || deployed === next) return false;
  const key = `${PROJECT}:dbEngineVersion`;
  if (Number(next) < Number(deployed)) {
    throw new StackConfigError([
      `${key} "${next}" is older than the deployed ${deployed}: RDS cannot downgrade PostgreSQL (restore a snapshot into a new stack instead)`,
    ]);
  }
  if (!applyImmediately) {
    throw new StackConfigError([
      `${key} "${next}" is a major upgrade from ${deployed} and needs ${PROJECT}:applyImmediately true for that deploy (deferred, the old parameter group stays in use and its deletion fails)`,
    ]);
  }
  return true;
}

/**
 * An RDS identifier from its parts: letters, digits and single hyphens, starting with a letter,
 * at most `max` characters. Stack names may also hold `_` and `.`, which become hyphens.
 */
function rdsIdentifier(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/** The final snapshot's identifier (255 characters at most). */
export function finalSnapshotIdentifier(name: string, stack: string, suffix: string): string {
  return rdsIdentifier(`${name}-final-${stack}-${suffix}`, 255);
}

/**
 * The database instance's identifier (63 characters at most), fixed before the instance exists so
 * its PostgreSQL log group can be created first. The suffix keeps it unique per account.
 */
export function databaseIdentifier(name: string, stack: string, suffix: string): string {
  const stackPart = rdsIdentifier(stack, 63 - name.length - suffix.length - 2) || "stack";
  return rdsIdentifier(`${name}-${stackPart}-${suffix}`, 63);
}

/** Where RDS exports the instance's PostgreSQL log; created beforehand, with a retention. */
export function postgresLogGroupName(identifier: string): string {
  return `/aws/rds/instance/${identifier}/postgresql`;
}

/**
 * The RDS identifier in an endpoint (`<identifier>.<hash>.<region>.rds.amazonaws.com[:port]`),
 * or undefined when there is none (a first deploy).
 */
export function identifierOfEndpoint(endpoint: unknown): string | undefined {
  if (typeof endpoint !== "string") return undefined;
  const label = endpoint.split(".")[0] ?? "";
  return /^[a-z][a-z0-9-]{0,62}$/.test(label) && endpoint.includes(".rds.") ? label : undefined;
}

/** Whether two restores name the same data. */
export function sameRestore(a: DbRestore | undefined, b: DbRestore | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The restore the stack's last deploy exported, when its output has that shape. */
export function deployedRestore(output: unknown): DbRestore | undefined {
  if (typeof output !== "object" || output === null) return undefined;
  const o = output as Record<string, unknown>;
  if (typeof o.snapshot === "string") return { snapshot: o.snapshot };
  if (typeof o.source === "string" && typeof o.time === "string")
    return { source: o.source, time: o.time };
  return undefined;
}

/**
 * The restore this deploy declares. A new request wins; with none, the deployed instance's own
 * restore is declared again, so that removing the keys after a restore never replaces the
 * restored database with an empty one. A point-in-time restore without dbRestoreSource uses the
 * instance the stack runs now.
 */
export function resolveRestore(
  request: DbRestoreRequest | undefined,
  deployed: DbRestore | undefined,
  runningIdentifier: string | undefined,
): DbRestore | undefined {
  if (!request) return deployed;
  if ("snapshot" in request) return request;
  if (request.source) return { source: request.source, time: request.time };
  // Asked again after the restore: the source was the instance before it, not the restored one.
  if (deployed && "source" in deployed && deployed.time === request.time) return deployed;
  if (!runningIdentifier) {
    throw new StackConfigError([
      `${PROJECT}:dbRestoreTime "${request.time}" needs dbRestoreSource on a stack that has no database yet: the RDS instance whose backups to restore`,
    ]);
  }
  return { source: runningIdentifier, time: request.time };
}

/** Six hex digits that tell one restore from another, in the restored instance's identifier. */
export function restoreTag(restore: DbRestore): string {
  return createHash("sha256").update(JSON.stringify(restore)).digest("hex").slice(0, 6);
}

/**
 * The identifier of an instance restored from `restore`: the stack's base identifier (without an
 * earlier restore's tag) and `-r<tag>`, at most 63 characters. RDS identifiers are unique, and the
 * instance it replaces still exists while the restored one is created.
 */
export function restoredIdentifier(base: string, restore: DbRestore): string {
  const stem = base
    .replace(/-r[0-9a-f]{6}$/, "")
    .slice(0, 63 - 8)
    .replace(/-+$/, "");
  return `${stem}-r${restoreTag(restore)}`;
}
