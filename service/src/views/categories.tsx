import { html } from "hono/html";
import type { CategoryWithUse } from "../data/categories.ts";
import { CATEGORY_COLORS } from "../db/schema.ts";
import { Field, type FieldErrors, type FormValues, Select } from "./form.tsx";
import { Icon } from "./icon.tsx";

/** The palette's colours by name, in index order (classes `et-cat-0` to `et-cat-9` in app.css). */
export const COLOR_NAMES = [
  "Blue",
  "Red",
  "Green",
  "Brown",
  "Purple",
  "Teal",
  "Raspberry",
  "Olive",
  "Orange",
  "Grey",
] as const;

export const COLOR_OPTIONS = COLOR_NAMES.slice(0, CATEGORY_COLORS).map((label, i) => ({
  value: String(i),
  label,
}));

/** A small square in the category's colour (decorative: the name is beside it). */
export function Swatch({ color }: { color: number }) {
  // A template, not JSX, like Icon.
  return html`<svg class="et-swatch et-cat-${color}" width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2"></rect></svg>`;
}

export type FieldProps = { values: FormValues; errors: FieldErrors };
export const NameField = (p: FieldProps) => (
  <Field name="name" label="Name" required maxlength={50} values={p.values} errors={p.errors} />
);
export const ColourField = (p: FieldProps) => (
  <Select name="color" label="Colour" options={COLOR_OPTIONS} values={p.values} errors={p.errors} />
);

export function CategoryTable(p: { title: string; rows: CategoryWithUse[] }) {
  return (
    <div class="mb-4">
      <h2 class="h5">{p.title}</h2>
      <div class="table-responsive">
        <table class="table table-sm align-middle">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col" class="text-end">
                Transactions
              </th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((cat) => (
              <tr data-category-id={String(cat.id)}>
                <td>
                  <Swatch color={cat.color} /> {cat.name}
                </td>
                <td class="text-end">{cat.transactions}</td>
                <td class="text-end text-nowrap">
                  <a class="btn btn-sm btn-outline-secondary" href={`/categories/${cat.id}/edit`}>
                    <Icon name="pencil" /> Edit
                  </a>{" "}
                  <a class="btn btn-sm btn-outline-danger" href={`/categories/${cat.id}/remove`}>
                    <Icon name="trash" /> Remove
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
