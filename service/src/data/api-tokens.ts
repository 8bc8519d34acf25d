// Personal access tokens for the JSON API: `et_pat_<public id>_<secret>`. The public id finds
// the row; only the sha256 of the secret is stored and it is compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, count, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type ApiToken, type ApiTokenScope, apiTokens, type User, users } from "../db/schema.ts";

/** What every token starts with, so that secret scanners can recognise a leaked one. */
export const TOKEN_PREFIX = "et_pat_";
/** The whole shape of a token; anything else is refused before the database is asked. */
export const TOKEN_PATTERN = /^et_pat_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
/** Tokens a user may hold at once. */
export const MAX_TOKENS = 50;
/** A token's last use is written at most this often. */
export const LAST_USED_INTERVAL_MS = 60_000;

const sha256 = (text: string) => createHash("sha256").update(text).digest();

export interface NewToken {
  name: string;
  scope: ApiTokenScope;
  /** Null: never expires. */
  expiresAt: Date | null;
}

/** Thrown when the user already holds MAX_TOKENS tokens. */
export class TooManyTokensError extends Error {
  constructor() {
    super(`You have ${MAX_TOKENS} tokens, the most there can be: revoke one first`);
    this.name = "TooManyTokensError";
  }
}

/** Creates a token and returns it in full: the only time it can be seen. */
export async function createApiToken(
  db: Db,
  userId: number,
  input: NewToken,
  now: Date,
): Promise<{ token: string; row: ApiToken }> {
  const publicId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const [have] = await db
    .select({ n: count() })
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId));
  if ((have?.n ?? 0) >= MAX_TOKENS) throw new TooManyTokensError();
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name: input.name,
      scope: input.scope,
      expiresAt: input.expiresAt,
      publicId,
      secretHash: sha256(secret).toString("hex"),
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error("insert returned no row");
  return { token: `${TOKEN_PREFIX}${publicId}_${secret}`, row };
}

/** The user's tokens, oldest first (never their secrets). */
export async function listApiTokens(db: Db, userId: number): Promise<ApiToken[]> {
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
}

/** Revokes (deletes) one of the user's tokens; false when there is no such token of theirs. */
export async function revokeApiToken(db: Db, userId: number, id: number): Promise<boolean> {
  const rows = await db
    .delete(apiTokens)
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

export type TokenCheck =
  | { ok: true; user: User; token: ApiToken }
  | { ok: false; reason: "malformed" | "unknown" | "expired"; expiredAt?: Date };

/** Finds the user a token belongs to, if it is well-formed, known, matches and has not expired. */
export async function checkApiToken(db: Db, presented: string, now: Date): Promise<TokenCheck> {
  const match = TOKEN_PATTERN.exec(presented);
  if (!match) return { ok: false, reason: "malformed" };
  const [, publicId = "", secret = ""] = match;
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.publicId, publicId));
  const stored = row ? Buffer.from(row.token.secretHash, "hex") : Buffer.alloc(32);
  const matches = timingSafeEqual(sha256(secret), stored.length === 32 ? stored : Buffer.alloc(32));
  if (!row || !matches) return { ok: false, reason: "unknown" };
  if (row.token.expiresAt && row.token.expiresAt <= now) {
    return { ok: false, reason: "expired", expiredAt: row.token.expiresAt };
  }
  return { ok: true, user: row.user, token: row.token };
}

/** Records a use of the token, unless one was recorded less than a minute ago. */
export async function touchApiToken(db: Db, token: ApiToken, now: Date): Promise<void> {
  const last = token.lastUsedAt?.getTime();
  if (last !== undefined && now.getTime() - last < LAST_USED_INTERVAL_MS) return;
  const before = new Date(now.getTime() - LAST_USED_INTERVAL_MS);
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiTokens.id, token.id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, before)),
      ),
    );
}
