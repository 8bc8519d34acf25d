/** Largest id a PostgreSQL serial column holds. */
export const MAX_ID = 2_147_483_647;

/**
 * A row id as typed in a URL or sent by a form: decimal digits only, no sign, no leading zero,
 * no spaces, no exponent or hex (`0x1`, ` 1e0 ` are not ids), from 1 to MAX_ID. Otherwise undefined.
 */
export function parseId(raw: string): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id <= MAX_ID ? id : undefined;
}
