// Reading a backup file as untrusted input: its size, its text, its JSON, its format and version,
// and the shape of every section and record.
import { isUtf8 } from "node:buffer";
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupFile, backupFile } from "./format.ts";

/** Why a backup cannot be restored, in words for the person restoring it. */
export class BackupRefusedError extends Error {
  constructor(
    message: string,
    /** One line per bad record or field, at most MAX_PROBLEMS. */
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = "BackupRefusedError";
  }
}

/** Problems listed at most; the count says how many there were. */
const MAX_PROBLEMS = 10;

const megabytes = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** Size, UTF-8 and JSON: the bytes as the parsed document, or BackupRefusedError. */
export function parseBackupBytes(bytes: Uint8Array, maxBytes: number): unknown {
  if (bytes.byteLength > maxBytes) {
    throw new BackupRefusedError(
      `The file is ${megabytes(bytes.byteLength)}; a backup can be at most ${megabytes(maxBytes)} here.`,
    );
  }
  if (!isUtf8(bytes)) {
    throw new BackupRefusedError("The file is not UTF-8 text: choose a backup file (.json).");
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BackupRefusedError(
      `The file is not valid JSON (${(err as Error).message}): choose a backup file made by Expense Tracker.`,
    );
  }
}

const where = (path: readonly PropertyKey[]) =>
  path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i > 0 ? "." : ""}${String(p)}`))
    .join("");

/** The format and version, then the shape of every section and record. */
export function checkShape(doc: unknown): BackupFile {
  const head = (doc ?? {}) as { format?: unknown; version?: unknown };
  if (
    typeof doc !== "object" ||
    doc === null ||
    Array.isArray(doc) ||
    head.format !== BACKUP_FORMAT
  ) {
    throw new BackupRefusedError(
      `This is not an Expense Tracker backup (its "format" is not "${BACKUP_FORMAT}").`,
    );
  }
  if (head.version !== BACKUP_VERSION) {
    const newer = typeof head.version === "number" && head.version > BACKUP_VERSION;
    throw new BackupRefusedError(
      `This backup is version ${JSON.stringify(head.version)}; this version of Expense Tracker reads version ${BACKUP_VERSION}${newer ? " (the file was made by a newer version: upgrade first)" : ""}.`,
    );
  }
  const parsed = backupFile.safeParse(doc);
  if (parsed.success) return parsed.data;
  throw refused(
    parsed.error.issues.map((i) =>
      i.code === "unrecognized_keys"
        ? `${where(i.path) || "the file"}: unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")}`
        : `${where(i.path) || "the file"}: ${i.message}`,
    ),
  );
}

export function refused(problems: string[]): BackupRefusedError {
  const shown = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length > shown.length ? ` (the first ${shown.length} are listed)` : "";
  return new BackupRefusedError(
    `The backup was not restored: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the file${more}.`,
    shown,
  );
}
