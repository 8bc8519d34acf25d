import { CATEGORY_COLORS } from "../db/schema.ts";

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
  return (
    <svg class={`et-swatch et-cat-${color}`} width="12" height="12" aria-hidden="true">
      <rect width="12" height="12" rx="2" />
    </svg>
  );
}
