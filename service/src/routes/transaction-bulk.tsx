// POST /transactions/recategorise: the rows ticked in the list go to one category.
import { Hono } from "hono";
import { recategorise } from "../data/transactions-bulk.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { parseId } from "../lib/ids.ts";
import { backToList } from "../lib/safe-path.ts";
import { flash } from "../middleware/session.ts";

/** Rows one request may change: a few pages of the list. */
const MAX_ROWS = 500;

export function transactionBulkRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/transactions/recategorise", async (c) => {
    const user = c.get("user") as User;
    const body = await c.req.parseBody({ all: true });
    // Back to the list the rows were ticked in, and only to it (no open redirect).
    const back = backToList(body.back);
    const raw = body.ids === undefined ? [] : Array.isArray(body.ids) ? body.ids : [body.ids];
    const ids = raw.map((v) => (typeof v === "string" ? parseId(v) : undefined));
    const categoryId = typeof body.categoryId === "string" ? parseId(body.categoryId) : undefined;
    const refuse = async (text: string) => {
      await flash(c, text, "danger");
      return c.redirect(back, 303);
    };
    if (ids.length === 0) return refuse("Tick the rows to recategorise first.");
    if (ids.length > MAX_ROWS || ids.some((id) => id === undefined))
      return refuse(`Tick from 1 to ${MAX_ROWS} rows of the list.`);
    if (categoryId === undefined) return refuse("Choose the category to move the ticked rows to.");
    const result = await recategorise(c.get("deps").db, user.id, ids as number[], categoryId);
    if (!result) return refuse("Choose one of your categories from the list.");
    const left =
      result.otherKind > 0
        ? ` ${result.otherKind} of another kind stayed where they were (a category holds only expenses or only income).`
        : "";
    await flash(c, `Moved ${result.moved} rows to “${result.name}”.${left}`);
    return c.redirect(back, 303);
  });

  return app;
}
