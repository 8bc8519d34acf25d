// The web import's upload: a CSV file (up to 20 MB, 200,000 rows) staged for its preview.
import { Hono } from "hono";
import { bytesSource } from "../csv/decode.ts";
import { guessSettings } from "../csv/guess.ts";
import { countDataRows, MAX_WEB_ROWS, tooManyRows } from "../csv/preview.ts";
import { getProfile, listProfiles } from "../data/import-profiles.ts";
import { stageUpload } from "../data/import-staging.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { parseId } from "../lib/ids.ts";
import { UploadForm } from "../views/import-upload.tsx";
import { page } from "../views/layout.tsx";

/** The file's own name: no folder, no control characters (PostgreSQL cannot store NUL). */
const baseName = (name: string) =>
  [...(name.split(/[\\/]/).pop() ?? "")]
    .filter((ch) => ch >= " " && ch !== "\u007f")
    .join("")
    .trim();

export function importUploadRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/imports/new", async (c) => {
    const user = c.get("user") as User;
    const profiles = await listProfiles(c.get("deps").db, user.id);
    return page(c, "Import a CSV", <UploadForm profiles={profiles} csrf={c.get("csrfToken")} />);
  });

  app.post("/imports/upload", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    // The form the CSRF check already parsed (utf8Only parses it once and caches it).
    const form = await c.req.formData();
    const file = form.get("file");
    const profiles = await listProfiles(db, user.id);
    const refuse = (status: number, error: string) =>
      page(
        c,
        "Import a CSV",
        <UploadForm profiles={profiles} csrf={c.get("csrfToken")} error={error} />,
        status,
      );
    if (!(file instanceof File) || file.size === 0)
      return refuse(422, "Choose a CSV file to upload: the export of your bank's statement.");
    const profileField = form.get("profileId");
    const profileId =
      typeof profileField === "string" && profileField ? parseId(profileField) : undefined;
    const profile = profileId ? await getProfile(db, user.id, profileId) : undefined;
    if (profileField && !profile) return refuse(422, "Choose one of your saved profiles, or none.");
    const bytes = new Uint8Array(await file.arrayBuffer());
    const source = bytesSource(bytes);
    const guess = await guessSettings(source, profile?.settings ?? {});
    const rows = await countDataRows(source, guess.partial);
    if (rows > MAX_WEB_ROWS) return refuse(422, tooManyRows(rows));
    const id = await stageUpload(db, user.id, {
      fileName: baseName(file.name),
      bytes,
      given: profile?.settings ?? {},
      rowCount: rows,
    });
    return c.redirect(`/imports/${id}`, 303);
  });

  return app;
}
