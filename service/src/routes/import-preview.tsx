// A web import after its upload: the preview with editable settings (nothing stored), the
// confirm that queues it for the background job, its progress, and its result.
import { Hono } from "hono";
import { categoryMapFromForm, type FormFields, settingsFromForm } from "../csv/settings-form.ts";
import { listCategories } from "../data/categories.ts";
import { getProfile, listProfiles, saveProfile } from "../data/import-profiles.ts";
import {
  discardStaged,
  loadStaged,
  queueImport,
  saveStagedSettings,
} from "../data/import-staging.ts";
import { getImport } from "../data/imports.ts";
import { LIMITS, type User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { parseId } from "../lib/ids.ts";
import { flash } from "../middleware/session.ts";
import { PreviewPage } from "../views/import-preview.tsx";
import { ImportProgress, ImportResult } from "../views/import-progress.tsx";
import { page } from "../views/layout.tsx";
import { buildPreview } from "./import-model.ts";
import { pathId } from "./path-id.ts";

/** Seconds between the progress page's reloads. */
const REFRESH_SECONDS = 2;

export function importPreviewRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/imports/:id", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const id = pathId(c);
    const found = id && (await getImport(db, user.id, id));
    if (!found) return c.notFound();
    if (found.status === "queued" || found.status === "running")
      return page(c, "Importing", <ImportProgress row={found} />, 200, {
        refresh: REFRESH_SECONDS,
      });
    if (found.status !== "staged") return page(c, "Import", <ImportResult row={found} />);
    const staged = await loadStaged(db, user.id, found.id);
    if (!staged) return c.notFound();
    const [model, profiles] = await Promise.all([
      buildPreview(db, user.id, staged),
      listProfiles(db, user.id),
    ]);
    return page(
      c,
      "Preview import",
      <PreviewPage
        row={staged.row}
        model={model}
        categoryMap={staged.settings.categoryMap}
        profiles={profiles}
        currency={user.currency}
        csrf={c.get("csrfToken")}
      />,
    );
  });

  app.post("/imports/:id/settings", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const id = pathId(c);
    const staged = id && (await loadStaged(db, user.id, id));
    if (!staged) return c.notFound();
    const fields = (await c.req.parseBody()) as FormFields;
    const back = `/imports/${staged.row.id}`;
    let given = staged.settings.given;
    if (fields.profileId) {
      const profileId = parseId(fields.profileId);
      const profile = profileId && (await getProfile(db, user.id, profileId));
      if (!profile) {
        await flash(c, "Choose one of your saved profiles.", "danger");
        return c.redirect(back, 303);
      }
      given = profile.settings;
    } else {
      const parsed = settingsFromForm(fields);
      if (parsed.problems.length > 0) {
        await flash(c, parsed.problems.join(" "), "danger");
        return c.redirect(back, 303);
      }
      given = parsed.given;
    }
    const own = new Set((await listCategories(db, user.id)).map((cat) => cat.id));
    const categoryMap = categoryMapFromForm(fields, own);
    await saveStagedSettings(
      db,
      user.id,
      staged.row.id,
      { given, categoryMap },
      staged.row.rowCount,
    );
    return c.redirect(back, 303);
  });

  app.post("/imports/:id/confirm", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const id = pathId(c);
    const staged = id && (await loadStaged(db, user.id, id));
    if (!staged) {
      // A second confirm (a double click) finds the import already queued: show its progress.
      const found = id && (await getImport(db, user.id, id));
      return found ? c.redirect(`/imports/${found.id}`, 303) : c.notFound();
    }
    const model = await buildPreview(db, user.id, staged);
    const back = `/imports/${staged.row.id}`;
    if (!model.settings || !model.preview || model.problems.length > 0) {
      await flash(c, `Nothing was imported: ${model.problems.join(" ")}`, "danger");
      return c.redirect(back, 303);
    }
    await queueImport(db, user.id, staged.row.id, {
      settings: { ...model.settings, categoryMap: staged.settings.categoryMap },
      rowCount: model.preview.rowCount,
      badCount: model.preview.badCount,
    });
    return c.redirect(back, 303);
  });

  app.post("/imports/:id/profile", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const id = pathId(c);
    const staged = id && (await loadStaged(db, user.id, id));
    if (!staged) return c.notFound();
    const back = `/imports/${staged.row.id}`;
    const body = await c.req.parseBody();
    const name = typeof body.name === "string" ? body.name.trim() : "";
    if (!name || name.length > LIMITS.importProfileNameMax) {
      await flash(c, `Name the profile: 1 to ${LIMITS.importProfileNameMax} characters.`, "danger");
      return c.redirect(back, 303);
    }
    const model = await buildPreview(db, user.id, staged);
    if (!model.settings) {
      await flash(c, `Complete the settings first: ${model.problems.join(" ")}`, "danger");
      return c.redirect(back, 303);
    }
    await saveProfile(db, user.id, name, model.settings);
    await flash(c, `Saved these settings as the profile “${name}”.`);
    return c.redirect(back, 303);
  });

  app.post("/imports/:id/discard", async (c) => {
    const id = pathId(c);
    const user = c.get("user") as User;
    if (!id || !(await discardStaged(c.get("deps").db, user.id, id))) return c.notFound();
    await flash(c, "Discarded the upload; nothing was imported.");
    return c.redirect("/imports", 303);
  });

  return app;
}
