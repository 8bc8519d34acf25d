// The preview's settings form: each setting as guessed (or given), editable, with the category
// names the account lacks, each to create or to map to an existing category of its kind.
import { DATE_FORMATS } from "../csv/dates.ts";
import { type CategoryMap, categoryKey, type Preview } from "../csv/preview.ts";
import type { PartialSettings } from "../csv/settings.ts";
import { NO_COLUMN, TITLE_FIELDS } from "../csv/settings-form.ts";
import type { Category } from "../db/schema.ts";

type Option = { value: string; label: string };

function Choice(p: {
  id: string;
  label: string;
  name: string;
  value: string | undefined;
  options: Option[];
}) {
  return (
    <div class="col-sm-6 col-lg-3">
      <label class="form-label" for={p.id}>
        {p.label}
      </label>
      <select class="form-select form-select-sm" id={p.id} name={p.name}>
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === (p.value ?? "")}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function SettingsForm(p: {
  action: string;
  csrf: string;
  header: string[];
  settings: PartialSettings;
  preview: Preview | undefined;
  categories: Category[];
  categoryMap: CategoryMap;
}) {
  const s = p.settings;
  const columns = (none: string): Option[] => [
    { value: "", label: none },
    ...p.header.filter((h) => h !== "").map((h) => ({ value: h, label: h })),
  ];
  const amount = s.amount ?? {};
  const titles = s.titleColumns ?? [];
  return (
    <form method="post" action={p.action} class="card card-body mb-3" data-import-settings>
      <input type="hidden" name="_csrf" value={p.csrf} />
      <h2 class="h5">Settings</h2>
      <div class="row g-2">
        <Choice
          id="s-encoding"
          label="Encoding"
          name="encoding"
          value={s.encoding}
          options={[
            { value: "utf-8", label: "UTF-8" },
            { value: "latin1", label: "Windows-1252 (latin1)" },
          ]}
        />
        <Choice
          id="s-delimiter"
          label="Delimiter"
          name="delimiter"
          value={s.delimiter === "\t" ? "tab" : s.delimiter}
          options={[
            { value: ",", label: ", (comma)" },
            { value: ";", label: "; (semicolon)" },
            { value: "tab", label: "tab" },
            { value: "|", label: "| (bar)" },
          ]}
        />
        <div class="col-sm-6 col-lg-3">
          <label class="form-label" for="s-skip">
            Lines before the header
          </label>
          <input
            class="form-control form-control-sm"
            type="number"
            min="0"
            max="1000"
            id="s-skip"
            name="skipRows"
            value={String(s.skipRows ?? 0)}
          />
        </div>
        <Choice
          id="s-date"
          label="Date column"
          name="dateColumn"
          value={s.dateColumn}
          options={columns("(choose)")}
        />
        <div class="col-sm-6 col-lg-3">
          <label class="form-label" for="s-date-format">
            Date format
          </label>
          <input
            class="form-control form-control-sm"
            id="s-date-format"
            name="dateFormat"
            list="s-date-formats"
            value={s.dateFormat ?? ""}
            placeholder="e.g. DD.MM.YYYY"
          />
          <datalist id="s-date-formats">
            {DATE_FORMATS.map((f) => (
              <option value={f} />
            ))}
          </datalist>
        </div>
        {Array.from({ length: TITLE_FIELDS }, (_, i) => (
          <Choice
            id={`s-title-${i}`}
            label={i === 0 ? "Title column" : `Title, joined (${i + 1})`}
            name={`titleColumn${i}`}
            value={titles[i]}
            options={columns(i === 0 ? "(choose)" : "(none)")}
          />
        ))}
        <Choice
          id="s-amount"
          label="Amount column (signed)"
          name="amountColumn"
          value={amount.column}
          options={columns("(debit and credit instead)")}
        />
        <Choice
          id="s-debit"
          label="Or debit column"
          name="debitColumn"
          value={amount.debit}
          options={columns("(none)")}
        />
        <Choice
          id="s-credit"
          label="And credit column"
          name="creditColumn"
          value={amount.credit}
          options={columns("(none)")}
        />
        <Choice
          id="s-decimal"
          label="Decimal mark"
          name="decimal"
          value={s.decimal}
          options={[
            { value: "", label: "(guess)" },
            { value: ".", label: ". (1,234.56)" },
            { value: ",", label: ", (1.234,56)" },
          ]}
        />
        <Choice
          id="s-sign"
          label="Expenses are"
          name="expenseSign"
          value={s.expenseSign}
          options={[
            { value: "negative", label: "negative amounts (bank account)" },
            { value: "positive", label: "positive amounts (card statement)" },
          ]}
        />
        <Choice
          id="s-category"
          label="Category column"
          name="categoryColumn"
          value={s.categoryColumn ?? NO_COLUMN}
          options={[{ value: NO_COLUMN, label: "(none: rules decide)" }, ...columns("").slice(1)]}
        />
      </div>
      <UnknownCategories preview={p.preview} categories={p.categories} map={p.categoryMap} />
      <div class="mt-3">
        <button class="btn btn-outline-primary" type="submit">
          Update preview
        </button>
      </div>
    </form>
  );
}

function UnknownCategories(p: {
  preview: Preview | undefined;
  categories: Category[];
  map: CategoryMap;
}) {
  const unknown = p.preview?.unknownCategories ?? [];
  if (unknown.length === 0) return null;
  return (
    <fieldset class="mt-3" data-unknown-categories>
      <legend class="h6">Categories your account does not have</legend>
      <div class="row g-2">
        {unknown.map((u, i) => (
          <div class="col-sm-6 col-lg-4">
            <input type="hidden" name={`categoryName${i}`} value={u.name} />
            <input type="hidden" name={`categoryKind${i}`} value={u.kind} />
            <label class="form-label" for={`s-cat-${i}`}>
              “{u.name}” ({u.kind}, {u.rows} row{u.rows === 1 ? "" : "s"})
            </label>
            <select class="form-select form-select-sm" id={`s-cat-${i}`} name={`category${i}`}>
              <option value="">Create “{u.name}”</option>
              {p.categories
                .filter((c) => c.kind === u.kind)
                .map((c) => (
                  <option
                    value={String(c.id)}
                    selected={p.map[categoryKey(u.kind, u.name)] === c.id}
                  >
                    Map to {c.name}
                  </option>
                ))}
            </select>
          </div>
        ))}
      </div>
    </fieldset>
  );
}
