import { asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  CATEGORY_COLORS,
  categories,
  type DateFormat,
  DEFAULT_CATEGORIES,
  type NumberFormat,
  type Theme,
  type User,
  users,
} from "../db/schema.ts";
import { hashPassword } from "../lib/password.ts";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, normaliseEmail(email)));
  return row;
}

export async function findUserById(db: Db, id: number): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function listUsers(db: Db): Promise<User[]> {
  return db.select().from(users).orderBy(asc(users.id));
}

export class EmailTakenError extends Error {
  constructor(email: string) {
    super(`an account with ${email} already exists`);
  }
}

/** Creates a user with the default categories, in one transaction. */
export async function createUser(
  db: Db,
  input: { email: string; password: string; isOwner?: boolean; timeZone?: string },
): Promise<User> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({
        email,
        passwordHash,
        isOwner: input.isOwner ?? false,
        ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      })
      .onConflictDoNothing()
      .returning();
    if (!user) throw new EmailTakenError(email);
    await tx.insert(categories).values(
      (["expense", "income"] as const).flatMap((kind) =>
        DEFAULT_CATEGORIES[kind].map((name, i) => ({
          userId: user.id,
          name,
          kind,
          color: (i + (kind === "income" ? 4 : 0)) % CATEGORY_COLORS,
        })),
      ),
    );
    return user;
  });
}

export async function updatePassword(db: Db, userId: number, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
}

export async function updateSettings(
  db: Db,
  userId: number,
  settings: {
    timeZone: string;
    currency: string;
    monthStartDay?: number | undefined;
    dateFormat?: DateFormat | undefined;
    numberFormat?: NumberFormat | undefined;
  },
): Promise<void> {
  const { monthStartDay, dateFormat, numberFormat } = settings;
  await db
    .update(users)
    .set({
      timeZone: settings.timeZone,
      currency: settings.currency,
      ...(monthStartDay === undefined ? {} : { monthStartDay }),
      ...(dateFormat === undefined ? {} : { dateFormat }),
      ...(numberFormat === undefined ? {} : { numberFormat }),
      updatedAt: new Date(),
    })
    .where(eq(users.id, userId));
}

/** Stores the colour mode the user chose. */
export async function updateTheme(db: Db, userId: number, theme: Theme): Promise<void> {
  await db.update(users).set({ theme, updatedAt: new Date() }).where(eq(users.id, userId));
}

/** Removes a user and, by cascade, their sessions, categories and transactions. */
export async function deleteUser(db: Db, userId: number): Promise<boolean> {
  const rows = await db.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
  return rows.length > 0;
}

/**
 * Creates the first account, as owner, only while there is none: the check and the insert happen
 * under one advisory lock. Returns undefined when an account already exists.
 */
export async function createFirstOwner(
  db: Db,
  input: { email: string; password: string },
): Promise<User | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_OWNER_LOCK_KEY})`);
    if ((await countUsers(tx as unknown as Db)) > 0) return undefined;
    return createUser(tx as unknown as Db, { ...input, isOwner: true });
  });
}

const FIRST_OWNER_LOCK_KEY = 727_274_002;

/**
 * Creates the owner when absent. An existing account's password is never overwritten, so a
 * password changed in the app sticks. Returns whether it created the account.
 */
export async function ensureOwner(
  db: Db,
  owner: { email: string; password: string },
): Promise<boolean> {
  if (await findUserByEmail(db, owner.email)) return false;
  try {
    await createUser(db, { ...owner, isOwner: true });
    return true;
  } catch (err) {
    // Another process created it at the same moment.
    if (err instanceof EmailTakenError) return false;
    throw err;
  }
}
