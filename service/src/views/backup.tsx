// The settings page's backup card: download, restore (into an account without transactions),
// and, for the owner of an embedded installation, the whole database as SQL.
import type { Context } from "hono";
import { MAX_UPLOAD_BYTES } from "../backup/format.ts";
import type { AppEnv } from "../env.ts";
import { CsrfField } from "./layout.tsx";

export interface BackupCardProps {
  c: Context<AppEnv>;
  /** The account's transactions: a restore needs none. */
  transactions: number;
  /** Whether the whole-database dump is offered (the owner, on the embedded database). */
  instanceDump: boolean;
  /** Why the last restore was refused, with the bad records. */
  refused?: { message: string; problems: string[] } | undefined;
}

export function BackupCard(p: BackupCardProps) {
  return (
    <section class="card shadow-sm mt-4" aria-labelledby="backup-title">
      <div class="card-body">
        <h2 id="backup-title" class="h4 card-title mb-3">
          Backup
        </h2>
        <p>
          One JSON file with your settings, categories, budgets, import rules and transactions (no
          password, session or API token).
        </p>
        <a class="btn btn-outline-primary mb-3" href="/settings/backup" download>
          Download a backup
        </a>
        <h3 class="h6">Restore a backup</h3>
        {p.refused && (
          <div class="alert alert-danger" role="alert">
            <p class="mb-1">{p.refused.message}</p>
            {p.refused.problems.length > 0 && (
              <ul class="mb-0">
                {p.refused.problems.map((line) => (
                  <li>{line}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        {p.transactions > 0 ? (
          <p class="text-body-secondary">
            A backup is restored only into an account without transactions; this one has{" "}
            {p.transactions}. Create a new account (or ask the owner for one) and restore there.
          </p>
        ) : (
          <form method="post" action="/settings/restore" enctype="multipart/form-data">
            <CsrfField c={p.c} />
            <div class="mb-3">
              <label class="form-label" for="f-backup-file">
                Backup file (.json, at most {Math.round(MAX_UPLOAD_BYTES / 1024 / 1024)} MB)
              </label>
              <input
                id="f-backup-file"
                class="form-control"
                type="file"
                name="file"
                accept=".json,application/json"
                required
              />
              <div class="form-text">
                Replaces your settings, categories, budgets and import rules with the backup's.
              </div>
            </div>
            <button class="btn btn-primary" type="submit">
              Restore
            </button>
          </form>
        )}
        {p.instanceDump && (
          <>
            <hr />
            <h3 class="h6">The whole database</h3>
            <p>
              Every account of this installation as one PostgreSQL SQL file, taken from the running
              server (see the README for loading it into PostgreSQL or a new data folder).
            </p>
            <a class="btn btn-outline-secondary" href="/settings/database-dump" download>
              Download the database (SQL)
            </a>
          </>
        )}
      </div>
    </section>
  );
}
