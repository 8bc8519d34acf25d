// The imports page: each CSV import with its counts, a link to its rows, and undo.
import { Hono } from "hono";
import { listCategories } from "../data/categories.ts";
import { addImportRule, deleteImportRule, listImportRules } from "../data/import-rules.ts";
import { getImport, listImports, undoImport } from "../data/imports.ts";
import { LIMITS, type User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { parseId } from "../lib/ids.ts";
import { backWithin } from "../lib/safe-path.ts";
import { flash } from "../middleware/session.ts";
import { confirmPage } from "../views/confirm.tsx";
import { ImportsTable, RulesSection } from "../views/imports.tsx";
import { page } from "../views/layout.tsx";
import { importPreviewRoutes } from "./import-preview.tsx";
import { importUploadRoutes } from "./import-upload.tsx";
import { pathId } from "./path-id.ts";

/** Where a rule form returns: the preview it was sent from, else the imports page. */
const backTo = (value: unknown) => backWithin(value, /^\/imports\/\d{1,9}$/, "/imports");

export function importRoutes() {
  const app = new Hono<AppEnv>();
  app.route("/", importUploadRoutes());

  app.get("/imports", async (c) => {
    const user = c.get("user") as User;
    const { db } = c.get("deps");
    const [rows, rules, categories] = await Promise.all([
      listImports(db, user.id),
      listImportRules(db, user.id),
      listCategories(db, user.id),
    ]);
    return page(
      c,
      "Imports",
      <>
        <div class="d-flex justify-content-between align-items-center mb-3">
          <h1 class="h3 mb-0">Imports</h1>
          <a class="btn btn-primary" href="/imports/new">
            Import a CSV
          </a>
        </div>
        <ImportsTable rows={rows} />
        <RulesSection rules={rules} categories={categories} csrf={c.get("csrfToken")} />
      </>,
    );
  });

  app.post("/imports/rules", async (c) => {
    const user = c.get("user") as User;
    const body = await c.req.parseBody();
    const back = backTo(body.back);
    const contains = typeof body.contains === "string" ? body.contains.trim() : "";
    const categoryId = typeof body.categoryId === "string" ? parseId(body.categoryId) : undefined;
    // PostgreSQL cannot store the NUL character: refused here rather than by the database.
    if (!contains || contains.length > LIMITS.importRuleTextMax || contains.includes("\u0000")) {
      await flash(
        c,
        `Enter the text a title contains: 1 to ${LIMITS.importRuleTextMax} characters, without the NUL character.`,
        "danger",
      );
      return c.redirect(back, 303);
    }
    if (
      categoryId === undefined ||
      !(await addImportRule(c.get("deps").db, user.id, { contains, categoryId }))
    ) {
      await flash(c, "Choose one of your categories for the rule.", "danger");
      return c.redirect(back, 303);
    }
    await flash(c, `Added the rule “${contains}”.`);
    return c.redirect(back, 303);
  });

  app.post("/imports/rules/:id/delete", async (c) => {
    const id = pathId(c);
    if (!id || !(await deleteImportRule(c.get("deps").db, (c.get("user") as User).id, id)))
      return c.notFound();
    await flash(c, "Removed the rule.");
    return c.redirect(backTo((await c.req.parseBody()).back), 303);
  });

  app.get("/imports/:id/undo", async (c) => {
    const id = pathId(c);
    const found = id && (await getImport(c.get("deps").db, (c.get("user") as User).id, id));
    if (!found) return c.notFound();
    return confirmPage(c, {
      title: "Undo import",
      question: "Undo this import?",
      action: `/imports/${found.id}/undo`,
      confirmLabel: "Undo the import",
      cancelHref: "/imports",
      children: (
        <>
          <p>
            <strong>{found.fileName}</strong>: its {found.importedCount} stored row
            {found.importedCount === 1 ? "" : "s"} will be deleted, all at once. Rows you added
            yourself and rows of other imports stay.
          </p>
          <p class="text-body-secondary">
            This cannot be undone, but you can import the file again.
          </p>
        </>
      ),
    });
  });

  app.post("/imports/:id/undo", async (c) => {
    const id = pathId(c);
    const user = c.get("user") as User;
    const found = id && (await getImport(c.get("deps").db, user.id, id));
    if (found && (found.status === "queued" || found.status === "running")) {
      await flash(c, "The import is still running: undo it once it is done.", "danger");
      return c.redirect(`/imports/${found.id}`, 303);
    }
    const removed = found ? await undoImport(c.get("deps").db, user.id, found.id) : undefined;
    if (!found || removed === undefined) return c.notFound();
    await flash(c, `Undid the import of “${found.fileName}”: ${removed} rows deleted.`);
    return c.redirect("/imports", 303);
  });

  // After the fixed paths above (/imports/new, /imports/rules), so /imports/:id does not take them.
  app.route("/", importPreviewRoutes());
  return app;
}
