import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { prepared } from "../db/prepared.ts";
import { sessions, type User, users } from "../db/schema.ts";

/** How long a sign-in lasts. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Creates a session and returns the token for the cookie; only its hash is stored. */
export async function createSession(db: Db, userId: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    id: hashToken(token),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  });
  // Expired sessions are swept at each sign-in; there is no background job to forget.
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return token;
}

/** The signed-in user of a session token, read at every request: a sign-out takes effect at once. */
export async function userForSession(db: Db, token: string, now: Date): Promise<User | undefined> {
  const query = prepared(db, "user_for_session", (name) =>
    db
      .select({ user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(eq(sessions.id, sql.placeholder("id")), gt(sessions.expiresAt, sql.placeholder("now"))),
      )
      .prepare(name),
  );
  const [row] = await query.execute({ id: hashToken(token), now: now.toISOString() });
  return row?.user;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, hashToken(token)));
}

/** Signs the user out everywhere (after a password change, keeping the current session). */
export async function deleteOtherSessions(
  db: Db,
  userId: number,
  keepToken: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, hashToken(keepToken))));
}
