// The imports page: each CSV import with its counts, a link to its rows, and undo.
import { Hono } from "hono";
import { getImport, listImports, undoImport } from "../data/imports.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { flash } from "../middleware/session.ts";
import { Card } from "../views/form.tsx";
import { ImportsTable } from "../views/imports.tsx";
import { CsrfField, page } from "../views/layout.tsx";
import { pathId } from "./path-id.ts";

export function importRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/imports", async (c) => {
    const user = c.get("user") as User;
    const rows = await listImports(c.get("deps").db, user.id);
    return page(
      c,
      "Imports",
      <>
        <h1 class="h3 mb-3">Imports</h1>
        <ImportsTable rows={rows} />
      </>,
    );
  });

  app.get("/imports/:id/undo", async (c) => {
    const id = pathId(c);
    const found = id && (await getImport(c.get("deps").db, (c.get("user") as User).id, id));
    if (!found) return c.notFound();
    return page(
      c,
      "Undo import",
      <div class="row justify-content-center">
        <div class="col-md-7">
          <Card title="Undo this import?">
            <p>
              <strong>{found.fileName}</strong>: its {found.importedCount} stored row
              {found.importedCount === 1 ? "" : "s"} will be deleted, all at once. Rows you added
              yourself and rows of other imports stay.
            </p>
            <p class="text-body-secondary">
              This cannot be undone, but you can import the file again.
            </p>
            <form method="post" action={`/imports/${found.id}/undo`}>
              <CsrfField c={c} />
              <button class="btn btn-danger" type="submit">
                Undo the import
              </button>{" "}
              <a class="btn btn-link" href="/imports">
                Keep it
              </a>
            </form>
          </Card>
        </div>
      </div>,
    );
  });

  app.post("/imports/:id/undo", async (c) => {
    const id = pathId(c);
    const user = c.get("user") as User;
    const found = id && (await getImport(c.get("deps").db, user.id, id));
    const removed = found ? await undoImport(c.get("deps").db, user.id, found.id) : undefined;
    if (!found || removed === undefined) return c.notFound();
    await flash(c, `Undid the import of “${found.fileName}”: ${removed} rows deleted.`);
    return c.redirect("/imports", 303);
  });

  return app;
}
