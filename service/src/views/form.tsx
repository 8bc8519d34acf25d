import { html, raw } from "hono/html";
import type { Child } from "hono/jsx";

/** Field name -> message shown under that field. */
export type FieldErrors = Record<string, string | undefined>;
/** Field name -> the value the user typed, shown again when the form is re-rendered. */
export type FormValues = Record<string, string | undefined>;

interface FieldProps {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
  type?: string;
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: "decimal" | "numeric" | "email" | "text";
  placeholder?: string;
  help?: string;
}

/** ` name="value"`, ` name=""` for true, nothing for undefined and false: as hono/jsx writes attributes. */
function attr(name: string, value: string | number | boolean | undefined) {
  if (value === undefined || value === false) return "";
  return value === true ? raw(` ${name}=""`) : html` ${raw(name)}="${value}"`;
}

/**
 * A labelled input with its error or help text. Fields, selects and their errors are templates,
 * not JSX: forms are on most pages, and hono/jsx builds and walks a node per element.
 */
export function Field(p: FieldProps) {
  const error = p.errors[p.name];
  const id = `f-${p.name}`;
  const describedBy = error ? `${id}-error` : p.help ? `${id}-help` : undefined;
  const help = p.help && !error ? html`<div id="${id}-help" class="form-text">${p.help}</div>` : "";
  return html`<div class="mb-3"><label class="form-label" for="${id}">${p.label}</label><input id="${id}" class="form-control${error ? " is-invalid" : ""}" name="${p.name}" type="${p.type ?? "text"}" value="${p.values[p.name] ?? ""}"${attr("required", p.required)}${attr("maxlength", p.maxlength)}${attr("autocomplete", p.autocomplete)}${attr("inputmode", p.inputmode)}${attr("placeholder", p.placeholder)}${attr("aria-invalid", error ? "true" : undefined)}${attr("aria-describedby", describedBy)}/>${help}${FieldError({ id: `${id}-error`, error })}</div>`;
}

export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error ? html`<div id="${id}" class="invalid-feedback d-block">${error}</div>` : "";
}

interface SelectProps {
  name: string;
  label: string;
  values: FormValues;
  errors: FieldErrors;
  options: readonly { value: string; label: string }[];
  /** A first option with an empty value, e.g. "All". */
  blank?: string;
}

/**
 * A select's options, one marked selected. A template, not JSX: a period or category select holds
 * up to a few hundred, and hono/jsx builds and walks a node for each.
 */
export function Options(p: {
  options: readonly { value: string; label: string }[];
  selected?: string;
}) {
  return html`${p.options.map(
    (o) =>
      html`<option value="${o.value}"${o.value === p.selected ? raw(' selected=""') : ""}>${o.label}</option>`,
  )}`;
}

export function Select(p: SelectProps) {
  const error = p.errors[p.name];
  const id = `f-${p.name}`;
  const current = p.values[p.name] ?? "";
  const blank = p.blank !== undefined ? html`<option value="">${p.blank}</option>` : "";
  return html`<div class="mb-3"><label class="form-label" for="${id}">${p.label}</label><select id="${id}" name="${p.name}" class="form-select${error ? " is-invalid" : ""}"${attr("aria-describedby", error ? `${id}-error` : undefined)}>${blank}${Options({ options: p.options, selected: current })}</select>${FieldError({ id: `${id}-error`, error })}</div>`;
}

export function FormAlert({ errors }: { errors: FieldErrors }) {
  const form = errors._form;
  return form ? (
    <div class="alert alert-danger" role="alert">
      {form}
    </div>
  ) : null;
}

export function Card({ title, children }: { title: string; children?: Child }) {
  return (
    <div class="card shadow-sm">
      <div class="card-body">
        <h1 class="h4 card-title mb-3">{title}</h1>
        {children}
      </div>
    </div>
  );
}

/**
 * A create form's idempotency key, made when the form is first shown and kept when it is shown
 * again with errors: sending the form twice saves it once.
 */
export function KeyField({ values }: { values: FormValues }) {
  return values._key ? <input type="hidden" name="_key" value={values._key} /> : null;
}
