// One mechanism for every write that a client may send twice: a key, made when the form is
// rendered (or sent by an API client), recorded with the answer in the same transaction as the
// change. The same key with the same request gets the stored answer and changes nothing.
import { createHmac, randomBytes } from "node:crypto";
import { and, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { isDatabaseUnavailable, isUniqueViolation } from "../db/errors.ts";
import { idempotentRequests } from "../db/schema.ts";

/** How long a key counts. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/** What a key may look like: what forms make, and what an API client may choose. */
export const KEY_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;

/** The answer a write gave, as stored. */
export interface Answer {
  status: number;
  location?: string | null;
  flash?: string | null;
  body?: string | null;
}

/** A key for a form being rendered: 128 random bits. */
export function newKey(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * What identifies a request: method, path and fields in a stable order, as an HMAC under the
 * server's secret, so that a stored hash gives nothing away about a field such as a password.
 */
export function requestHash(
  secret: string,
  method: string,
  path: string,
  fields: Record<string, unknown>,
): string {
  const sorted = Object.keys(fields)
    .sort()
    .map((k) => [k, String(fields[k])]);
  return createHmac("sha256", secret)
    .update(JSON.stringify([method.toUpperCase(), path, sorted]))
    .digest("hex");
}

/** The same key came with a different request. */
export class KeyReusedError extends Error {
  constructor() {
    super("This form was already sent with different values. Reload the page to start a new one.");
    this.name = "KeyReusedError";
  }
}

/**
 * The database went away while committing: the change may or may not be stored. Sending the same
 * request again with its key is safe.
 */
export class CommitOutcomeUnknownError extends Error {
  constructor(cause: unknown) {
    super("the database connection was lost while committing", { cause });
    this.name = "CommitOutcomeUnknownError";
  }
}

export interface Idempotency {
  userId: number;
  /** Absent: the request is processed as it comes, with no deduplication. */
  key: string | undefined;
  hash: string;
}

/**
 * Runs `change` in a transaction. With a key, the answer is recorded in that transaction; a key
 * seen before (within 24 hours) replays its answer without running `change`, or throws
 * KeyReusedError when the request differs.
 */
export async function idempotent(
  db: Db,
  idem: Idempotency,
  change: (tx: Db) => Promise<Answer>,
  now: Date = new Date(),
): Promise<{ answer: Answer; replayed: boolean }> {
  const { key } = idem;
  if (key === undefined) return { answer: await inTransaction(db, change), replayed: false };
  const earlier = await findAnswer(db, idem, now);
  if (earlier) return { answer: earlier, replayed: true };
  try {
    const answer = await inTransaction(db, async (tx) => {
      await tx
        .delete(idempotentRequests)
        .where(
          and(
            eq(idempotentRequests.userId, idem.userId),
            lt(idempotentRequests.createdAt, new Date(now.getTime() - KEY_TTL_MS)),
          ),
        );
      const result = await change(tx);
      // Waits for a concurrent request with the same key to finish; if that one committed, this
      // insert fails, the change rolls back, and its answer is replayed below.
      await tx.insert(idempotentRequests).values({
        userId: idem.userId,
        key,
        requestHash: idem.hash,
        status: result.status,
        location: result.location ?? null,
        flash: result.flash ?? null,
        body: result.body ?? null,
        createdAt: now,
      });
      return result;
    });
    return { answer, replayed: false };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await findAnswer(db, idem, now);
    if (!winner) throw err;
    return { answer: winner, replayed: true };
  }
}

async function findAnswer(db: Db, idem: Idempotency, now: Date): Promise<Answer | undefined> {
  const [row] = await db
    .select()
    .from(idempotentRequests)
    .where(
      and(
        eq(idempotentRequests.userId, idem.userId),
        eq(idempotentRequests.key, idem.key ?? ""),
        gte(idempotentRequests.createdAt, new Date(now.getTime() - KEY_TTL_MS)),
      ),
    );
  if (!row) return undefined;
  if (row.requestHash !== idem.hash) throw new KeyReusedError();
  return { status: row.status, location: row.location, flash: row.flash, body: row.body };
}

/**
 * `db.transaction`, except that losing the database after the work is done (while committing)
 * throws CommitOutcomeUnknownError: the caller cannot know whether the change is stored.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  let committing = false;
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx as unknown as Db);
      committing = true;
      return result;
    });
  } catch (err) {
    if (committing && isDatabaseUnavailable(err)) throw new CommitOutcomeUnknownError(err);
    throw err;
  }
}
