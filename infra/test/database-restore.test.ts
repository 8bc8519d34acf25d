// Restore keys: what validateConfig accepts, which restore a deploy declares, and the identifier
// of the instance a restore creates.
import { describe, expect, it } from "vitest";
import { StackConfigError, validateConfig } from "../config.ts";
import type { DbRestore } from "../database-restore.ts";
import { resolveRestore, restoredIdentifier, restoreTag } from "../database-rules.ts";

const base = { alertEmail: "ops@example.org", ownerEmail: "me@example.org" };
const problems = (raw: Record<string, string>): string[] => {
  try {
    validateConfig({ ...base, ...raw }, "a fine password");
    return [];
  } catch (err) {
    if (err instanceof StackConfigError) return err.problems;
    throw err;
  }
};

describe("the restore keys", () => {
  it("accept a snapshot identifier or ARN, and a UTC time or latest with an optional source", () => {
    const read = (raw: Record<string, string>) =>
      validateConfig({ ...base, ...raw }, "pw-pw-pw-pw").dbRestore;
    expect(read({})).toBeUndefined();
    expect(read({ dbRestoreSnapshot: "rds:expense-tracker-prod-1a2b-2026-11-20-03-10" })).toEqual({
      snapshot: "rds:expense-tracker-prod-1a2b-2026-11-20-03-10",
    });
    expect(
      read({
        dbRestoreSnapshot:
          "arn:aws:rds:eu-central-1:123456789012:snapshot:expense-tracker-final-prod-1a2b3c4d",
      }),
    ).toEqual({
      snapshot:
        "arn:aws:rds:eu-central-1:123456789012:snapshot:expense-tracker-final-prod-1a2b3c4d",
    });
    expect(read({ dbRestoreTime: "2026-11-20T08:00:00Z" })).toEqual({
      source: undefined,
      time: "2026-11-20T08:00:00Z",
    });
    expect(read({ dbRestoreTime: "latest", dbRestoreSource: "old-db" })).toEqual({
      source: "old-db",
      time: "latest",
    });
  });

  it.each([
    [{ dbRestoreSnapshot: "snap-1", dbRestoreTime: "latest" }, "exclude each other"],
    [{ dbRestoreSource: "old-db" }, "needs dbRestoreTime"],
    [{ dbRestoreSnapshot: "1-starts-with-a-digit" }, "is not an RDS snapshot identifier or ARN"],
    [
      { dbRestoreTime: "2026-11-20 08:00" },
      "is not a UTC time such as 2026-11-20T08:00:00Z, or latest",
    ],
    [{ dbRestoreTime: "2026-11-20T08:00:00+01:00" }, "is not a UTC time"],
    [{ dbRestoreTime: "2026-13-40T08:00:00Z" }, "is not a UTC time"],
    [{ dbRestoreTime: "latest", dbRestoreSource: "Old_DB" }, "is not an RDS instance identifier"],
  ])("refuse %j", (raw, message) => {
    const found = problems(raw);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });
});

describe("resolveRestore", () => {
  const snap: DbRestore = { snapshot: "snap-1" };
  it("declares nothing without a request or an earlier restore", () => {
    expect(resolveRestore(undefined, undefined, "db-1")).toBeUndefined();
  });

  it("declares the deployed instance's restore again when the keys are gone", () => {
    expect(resolveRestore(undefined, snap, "db-1-rabcdef")).toEqual(snap);
  });

  it("restores the running instance to a time, and keeps that source once it is replaced", () => {
    const first = resolveRestore({ source: undefined, time: "latest" }, undefined, "db-1");
    expect(first).toEqual({ source: "db-1", time: "latest" });
    // The next deploy runs the restored instance; its restore still names db-1.
    expect(resolveRestore({ source: undefined, time: "latest" }, first, "db-1-r123456")).toEqual(
      first,
    );
    // A new time is a new restore of the instance that runs now.
    expect(
      resolveRestore({ source: undefined, time: "2026-11-21T00:00:00Z" }, first, "db-1-r123456"),
    ).toEqual({ source: "db-1-r123456", time: "2026-11-21T00:00:00Z" });
  });

  it("needs a source for a point in time on a stack with no database", () => {
    expect(() =>
      resolveRestore({ source: undefined, time: "latest" }, undefined, undefined),
    ).toThrow(/dbRestoreTime "latest" needs dbRestoreSource/);
  });
});

describe("restoredIdentifier", () => {
  it("appends the restore's tag once, within RDS's 63 characters", () => {
    const first = restoredIdentifier("expense-tracker-prod-1a2b3c4d", { snapshot: "a" });
    expect(first).toBe(`expense-tracker-prod-1a2b3c4d-r${restoreTag({ snapshot: "a" })}`);
    // A second restore replaces the tag rather than adding one.
    const second = restoredIdentifier(first, { snapshot: "b" });
    expect(second).toBe(`expense-tracker-prod-1a2b3c4d-r${restoreTag({ snapshot: "b" })}`);
    expect(restoreTag({ snapshot: "a" })).not.toBe(restoreTag({ snapshot: "b" }));
    const long = restoredIdentifier(`x${"-y".repeat(40)}`, { snapshot: "a" });
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(long).not.toContain("--");
  });
});
