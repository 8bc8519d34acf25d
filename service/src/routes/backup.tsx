// The settings page's backup routes: the account's backup file, restoring one (an upload with
// its own size limit), and the owner's SQL dump of the whole embedded database.
import { Hono } from "hono";
import { BackupRefusedError, readBackup } from "../backup/check.ts";
import { MAX_UPLOAD_BYTES } from "../backup/format.ts";
import { restoreBackup } from "../backup/restore.ts";
import { backupText } from "../backup/write.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { todayIn } from "../lib/dates.ts";
import { flash } from "../middleware/session.ts";
import { UPLOAD_LIMITS } from "../upload-limits.ts";
import { errorPage } from "../views/errors.tsx";
import { settingsPage } from "./settings.tsx";

/** The upload route, for the per-route body limits (the form's other fields are a few bytes). */
export const RESTORE_PATH = "/settings/restore";
/** The largest restore request: the file plus room for the multipart framing and the token. */
export const MAX_RESTORE_REQUEST_BYTES = UPLOAD_LIMITS[RESTORE_PATH] ?? MAX_UPLOAD_BYTES;

const TOO_LARGE = `The backup file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB, the most the settings page takes; restore it with npm run restore (see the README).`;

const download = (body: BodyInit, type: string, name: string) =>
  new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });

export function backupRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/settings/backup", async (c) => {
    const user = c.get("user") as User;
    const text = await backupText(c.get("deps").db, user.id);
    return download(
      text,
      "application/json; charset=utf-8",
      `expense-tracker-backup-${todayIn(user.timeZone)}.json`,
    );
  });

  app.post(RESTORE_PATH, async (c) => {
    const user = c.get("user") as User;
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_RESTORE_REQUEST_BYTES) return errorPage(c, 413, TOO_LARGE);
    const body = await c.req.parseBody();
    const file = body.file;
    const refuse = (err: BackupRefusedError, status = 422) =>
      settingsPage(c, {}, {}, { message: err.message, problems: err.problems }, status);
    if (!(file instanceof File) || file.size === 0) {
      return refuse(new BackupRefusedError("Choose a backup file to restore (a .json file)."));
    }
    if (file.size > MAX_UPLOAD_BYTES) return refuse(new BackupRefusedError(TOO_LARGE), 413);
    try {
      const plan = readBackup(new Uint8Array(await file.arrayBuffer()), MAX_UPLOAD_BYTES);
      const summary = await restoreBackup(c.get("deps").db, user.id, plan);
      await flash(
        c,
        `Restored the backup: ${summary.transactions} transactions, ${summary.categories} categories, ${summary.budgets} budgets and ${summary.importRules} import rules.`,
      );
      return c.redirect("/settings", 303);
    } catch (err) {
      if (err instanceof BackupRefusedError) return refuse(err);
      throw err;
    }
  });

  app.get("/settings/database-dump", async (c) => {
    const user = c.get("user") as User;
    const { instanceDump } = c.get("deps");
    if (!instanceDump || !user.isOwner) return c.notFound();
    const sql = await instanceDump();
    return download(
      sql,
      "application/sql; charset=utf-8",
      `expense-tracker-database-${todayIn(user.timeZone)}.sql`,
    );
  });

  return app;
}
