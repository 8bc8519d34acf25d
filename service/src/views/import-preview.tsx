// The preview of a staged import: what would be stored, every bad row, the settings and rules
// that decide it, profiles, and the confirm. Nothing here stores a transaction.
import type { CategoryMap, Placement } from "../csv/preview.ts";
import type { Profile } from "../data/import-profiles.ts";
import type { Import } from "../db/schema.ts";
import { LIMITS } from "../db/schema.ts";
import { formatMoney } from "../lib/money.ts";
import type { PreviewModel } from "../routes/import-model.ts";
import { SettingsForm } from "./import-settings.tsx";
import { ProfileOptions } from "./import-upload.tsx";
import { RulesSection } from "./imports.tsx";

const HOW: Record<Placement["by"], string> = {
  column: "",
  mapped: " (mapped)",
  new: " (new)",
  rule: " (rule)",
  "catch-all": "",
};

export function PreviewPage(p: {
  row: Import;
  model: PreviewModel;
  categoryMap: CategoryMap;
  profiles: Profile[];
  currency: string;
  csrf: string;
}) {
  const { model, row } = p;
  const preview = model.preview;
  const base = `/imports/${row.id}`;
  const money = (cents: bigint) => formatMoney(cents, p.currency);
  const good = preview ? preview.rowCount - preview.badCount : 0;
  return (
    <>
      <h1 class="h3 mb-3">Preview: {row.fileName}</h1>
      <p data-import-summary>
        {preview
          ? `${preview.rowCount} rows: ${good} to import, ${preview.badCount} bad. Income ${money(preview.incomeCents)}, expenses ${money(preview.expenseCents)}. `
          : ""}
        Nothing is stored until you confirm; rows already in your account are skipped then.
      </p>
      {model.problems.length > 0 ? (
        <div class="alert alert-warning" role="alert" data-import-problems>
          <ul class="mb-0">
            {model.problems.map((m) => (
              <li>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`${base}/settings`} class="row g-2 align-items-end mb-3">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <div class="col-sm-6 col-lg-4">
          <label class="form-label" for="use-profile">
            Use a saved profile
          </label>
          <select class="form-select form-select-sm" id="use-profile" name="profileId" required>
            <ProfileOptions profiles={p.profiles} />
          </select>
        </div>
        <div class="col-auto">
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Use profile
          </button>
        </div>
      </form>
      <SettingsForm
        action={`${base}/settings`}
        csrf={p.csrf}
        header={model.guess.header}
        settings={model.settings ?? model.guess.partial}
        preview={preview}
        categories={model.categories}
        categoryMap={p.categoryMap}
      />
      {preview ? (
        <>
          <h2 class="h5">The first rows as they would be stored</h2>
          <div class="table-responsive">
            <table class="table table-sm align-middle" data-import-preview>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Date</th>
                  <th scope="col">Title</th>
                  <th scope="col">Category</th>
                  <th scope="col" class="text-end">
                    Amount
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.first.map((r) => (
                  <tr>
                    <td>{r.line}</td>
                    <td>{r.occurredOn}</td>
                    <td class="text-break">{r.title}</td>
                    <td>
                      {r.placement.name}
                      {HOW[r.placement.by]}
                    </td>
                    <td class="text-end">
                      {r.kind === "expense" ? "-" : "+"}
                      {money(r.amountCents)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <BadRows bad={preview.bad} count={preview.badCount} />
        </>
      ) : null}
      <RulesSection rules={model.rules} categories={model.categories} csrf={p.csrf} back={base} />
      <form method="post" action={`${base}/profile`} class="row g-2 align-items-end my-3">
        <input type="hidden" name="_csrf" value={p.csrf} />
        <div class="col-sm-6 col-lg-4">
          <label class="form-label" for="profile-name">
            Save these settings as a profile
          </label>
          <input
            class="form-control form-control-sm"
            id="profile-name"
            name="name"
            required
            maxlength={LIMITS.importProfileNameMax}
            placeholder="e.g. My bank"
          />
        </div>
        <div class="col-auto">
          <button class="btn btn-sm btn-outline-secondary" type="submit">
            Save profile
          </button>
        </div>
      </form>
      <div class="d-flex gap-2 mt-4">
        <form method="post" action={`${base}/confirm`}>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <button class="btn btn-primary" type="submit" disabled={model.problems.length > 0}>
            Import {good} rows
            {preview && preview.badCount > 0 ? `, skip ${preview.badCount} bad` : ""}
          </button>
        </form>
        <form method="post" action={`${base}/discard`}>
          <input type="hidden" name="_csrf" value={p.csrf} />
          <button class="btn btn-outline-danger" type="submit">
            Discard the upload
          </button>
        </form>
      </div>
    </>
  );
}

function BadRows({ bad, count }: { bad: { line: number; reason: string }[]; count: number }) {
  if (count === 0) return <p class="text-body-secondary">No bad rows.</p>;
  return (
    <section aria-labelledby="bad-rows" data-bad-rows>
      <h2 class="h5" id="bad-rows">
        {count} bad row{count === 1 ? "" : "s"}, which the import skips
      </h2>
      <ul class="small">
        {bad.map((b) => (
          <li>
            Line {b.line}: {b.reason}
          </li>
        ))}
      </ul>
      {count > bad.length ? <p class="small">… and {count - bad.length} more.</p> : null}
    </section>
  );
}
