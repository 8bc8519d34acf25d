// The amount input: the currency's symbol on the side its locale writes it, and the decimal
// separator of the user's number format in the placeholder and the help.
import type { NumberFormat } from "../db/schema.ts";
import { centsToDecimal, currencySymbol } from "../lib/money.ts";
import { FieldError, type FieldErrors, type FormValues } from "./form.tsx";

export function AmountField(p: {
  values: FormValues;
  errors: FieldErrors;
  currency: string;
  format: NumberFormat;
  name?: string;
  label?: string;
}) {
  const name = p.name ?? "amount";
  const id = `f-${name}`;
  const error = p.errors[name];
  const { symbol, after } = currencySymbol(p.currency, p.format);
  const comma = p.format !== "1,234.56";
  const side = (
    <span class="input-group-text" id={`${id}-currency`} title={p.currency}>
      {symbol}
    </span>
  );
  return (
    <div class="mb-3">
      <label class="form-label" for={id}>
        {p.label ?? "Amount"}
      </label>
      <div class={`input-group${error ? " has-validation" : ""}`}>
        {after ? null : side}
        <input
          id={id}
          class={`form-control amount${error ? " is-invalid" : ""}`}
          name={name}
          type="text"
          value={p.values[name] ?? ""}
          required
          inputmode="decimal"
          autocomplete="off"
          placeholder={centsToDecimal(1250n, p.format)}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={`${id}-currency ${error ? `${id}-error` : `${id}-help`}`}
        />
        {after ? side : null}
      </div>
      {error ? null : (
        <div id={`${id}-help`} class="form-text">
          Above 0, with a {comma ? "decimal comma" : "dot"} and at most 2 decimals.
        </div>
      )}
      <FieldError id={`${id}-error`} error={error} />
    </div>
  );
}
