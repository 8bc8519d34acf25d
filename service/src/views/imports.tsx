import type { Import } from "../db/schema.ts";

const STATUS: Record<Import["status"], string> = {
  staged: "waiting for its preview",
  queued: "queued",
  running: "importing",
  done: "done",
  failed: "failed",
};

const when = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace("T", " ") : "");

export function ImportsTable({ rows }: { rows: Import[] }) {
  if (rows.length === 0)
    return (
      <p class="text-body-secondary">
        No imports yet. Import a bank's CSV statement with{" "}
        <code>npm run import:csv -- FILE --email you@example.com</code> (see the README).
      </p>
    );
  return (
    <div class="table-responsive">
      <table class="table align-middle">
        <caption class="visually-hidden">Your CSV imports, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Imported (UTC)</th>
            <th scope="col">File</th>
            <th scope="col">Status</th>
            <th scope="col" class="text-end">
              Rows stored
            </th>
            <th scope="col" class="text-end">
              Duplicates skipped
            </th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((i) => (
            <tr>
              <td>{when(i.finishedAt ?? i.createdAt)}</td>
              <td class="text-break">{i.fileName}</td>
              <td>{STATUS[i.status]}</td>
              <td class="text-end">{i.importedCount}</td>
              <td class="text-end">{i.duplicateCount}</td>
              <td class="text-end text-nowrap">
                <a class="btn btn-sm btn-outline-secondary" href={`/transactions?import=${i.id}`}>
                  Show its rows
                </a>{" "}
                {i.status === "done" || i.status === "failed" ? (
                  <a class="btn btn-sm btn-outline-danger" href={`/imports/${i.id}/undo`}>
                    Undo
                  </a>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
