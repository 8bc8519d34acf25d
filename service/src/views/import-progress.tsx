import type { Import } from "../db/schema.ts";

/** A queued or running import: the page reloads itself (a meta refresh) until it is done. */
export function ImportProgress({ row }: { row: Import }) {
  const total = Math.max(row.rowCount - row.badCount, 0);
  return (
    <>
      <h1 class="h3 mb-3">Importing {row.fileName}</h1>
      <p role="status" data-import-status={row.status}>
        {row.status === "queued" ? "Waiting to start" : "Storing the rows"}:{" "}
        <span data-import-progress>
          {row.processedCount} of {total}
        </span>{" "}
        rows read. The page refreshes itself; you may also leave it, the import goes on.
      </p>
      <progress class="w-100" max={String(Math.max(total, 1))} value={String(row.processedCount)}>
        {row.processedCount} of {total}
      </progress>
    </>
  );
}

/** A finished import: what it stored, or why it failed. */
export function ImportResult({ row }: { row: Import }) {
  return (
    <>
      <h1 class="h3 mb-3">Import of {row.fileName}</h1>
      {row.status === "failed" ? (
        <div class="alert alert-danger" role="alert" data-import-status="failed">
          The import failed and stored nothing. {row.error}
        </div>
      ) : (
        <div class="alert alert-success" role="status" data-import-status="done">
          Imported {row.importedCount} rows; {row.duplicateCount} duplicates skipped (already in the
          account); {row.badCount} bad rows skipped.
        </div>
      )}
      <p>
        <a class="btn btn-primary" href={`/transactions?import=${row.id}`}>
          Show its rows
        </a>{" "}
        <a class="btn btn-outline-secondary" href="/imports">
          All imports
        </a>
      </p>
    </>
  );
}
