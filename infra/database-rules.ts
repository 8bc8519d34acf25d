// Pure rules for the database's lifecycle: which engine changes a deploy may make, and the name of
// the snapshot a destroy leaves behind.
import { PROJECT, StackConfigError } from "./config.ts";

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
 * The final snapshot's identifier. RDS allows letters, digits and single hyphens, starting with
 * a letter; stack names may also hold `_` and `.`, which become hyphens.
 */
export function finalSnapshotIdentifier(name: string, stack: string, suffix: string): string {
  return `${name}-final-${stack}-${suffix}`
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "")
    .slice(0, 255)
    .replace(/-+$/, "");
}
