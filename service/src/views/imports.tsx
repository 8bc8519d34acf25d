import type { RuleRow } from "../data/import-rules.ts";
import { type Category, type Import, LIMITS } from "../db/schema.ts";
import { categoryOptions } from "./transactions.tsx";

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
        No imports yet. <a href="/imports/new">Import a bank's CSV statement</a> here, or with{" "}
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
                {i.status !== "done" ? (
                  <a class="btn btn-sm btn-outline-secondary" href={`/imports/${i.id}`}>
                    {i.status === "staged" ? "Preview" : i.status === "failed" ? "Why" : "Progress"}
                  </a>
                ) : null}{" "}
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

/** The rules with their forms; `back` is the page the forms return to (default /imports). */
export function RulesSection(p: {
  rules: RuleRow[];
  categories: Category[];
  csrf: string;
  back?: string;
}) {
  const back = p.back ? <input type="hidden" name="back" value={p.back} /> : null;
  return (
    <section class="mt-4" aria-labelledby="rules-heading">
      <h2 class="h5" id="rules-heading">
        Import rules
      </h2>
      <p class="text-body-secondary small">
        An imported row without a category goes to the first rule of its kind whose text is in its
        title (case does not count); rows no rule matches go to Other or Other income.
      </p>
      {p.rules.length > 0 ? (
        <table class="table table-sm align-middle">
          <caption class="visually-hidden">Your import rules, in the order they apply</caption>
          <thead>
            <tr>
              <th scope="col">Title contains</th>
              <th scope="col">Category</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.rules.map((r) => (
              <tr>
                <td>
                  <code>{r.contains}</code>
                </td>
                <td>
                  {r.categoryName}
                  {r.kind === "income" ? " (income)" : ""}
                </td>
                <td class="text-end">
                  <form method="post" action={`/imports/rules/${r.id}/delete`}>
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    {back}
                    <button class="btn btn-sm btn-outline-danger" type="submit">
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form method="post" action="/imports/rules" class="row g-2 align-items-end">
        <input type="hidden" name="_csrf" value={p.csrf} />
        {back}
        <div class="col-sm-5">
          <label class="form-label" for="rule-contains">
            Title contains
          </label>
          <input
            class="form-control"
            id="rule-contains"
            name="contains"
            required
            maxlength={LIMITS.importRuleTextMax}
          />
        </div>
        <div class="col-sm-4">
          <label class="form-label" for="rule-category">
            Category
          </label>
          <select class="form-select" id="rule-category" name="categoryId">
            {categoryOptions(p.categories).map((o) => (
              <option value={o.value}>{o.label}</option>
            ))}
          </select>
        </div>
        <div class="col-sm-3">
          <button class="btn btn-primary" type="submit">
            Add rule
          </button>
        </div>
      </form>
    </section>
  );
}
