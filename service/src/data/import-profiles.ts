// Named parser settings a user saved from a preview, offered on the next upload.
import { and, asc, eq, sql } from "drizzle-orm";
import type { PartialSettings } from "../csv/settings.ts";
import type { Db } from "../db/client.ts";
import { importProfiles } from "../db/schema.ts";

export interface Profile {
  id: number;
  name: string;
  settings: PartialSettings;
}

export async function listProfiles(db: Db, userId: number): Promise<Profile[]> {
  const rows = await db
    .select()
    .from(importProfiles)
    .where(eq(importProfiles.userId, userId))
    .orderBy(asc(sql`lower(${importProfiles.name})`));
  return rows.map((r) => ({ id: r.id, name: r.name, settings: r.settings as PartialSettings }));
}

export async function getProfile(db: Db, userId: number, id: number): Promise<Profile | undefined> {
  const [r] = await db
    .select()
    .from(importProfiles)
    .where(and(eq(importProfiles.userId, userId), eq(importProfiles.id, id)));
  return r && { id: r.id, name: r.name, settings: r.settings as PartialSettings };
}

/** Saves settings under a name; a profile of the same name (case aside) is replaced. */
export async function saveProfile(
  db: Db,
  userId: number,
  name: string,
  settings: PartialSettings,
): Promise<number> {
  return db.transaction(async (tx) => {
    const [same] = await tx
      .select({ id: importProfiles.id })
      .from(importProfiles)
      .where(
        and(
          eq(importProfiles.userId, userId),
          eq(sql`lower(${importProfiles.name})`, name.toLowerCase()),
        ),
      )
      .for("update");
    if (same) {
      await tx
        .update(importProfiles)
        .set({ name, settings, updatedAt: new Date() })
        .where(eq(importProfiles.id, same.id));
      return same.id;
    }
    const [row] = await tx
      .insert(importProfiles)
      .values({ userId, name, settings })
      .returning({ id: importProfiles.id });
    if (!row) throw new Error("insert returned no row");
    return row.id;
  });
}
