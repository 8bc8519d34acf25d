import { CATEGORY_COLORS } from "../db/schema.ts";

/** The palette's colours by name, in index order (classes `cat-0` to `cat-9` in app.css). */
export const COLOR_NAMES = [
  "Blue",
  "Teal",
  "Green",
  "Olive",
  "Orange",
  "Red",
  "Pink",
  "Purple",
  "Indigo",
  "Grey",
] as const;

export const COLOR_OPTIONS = COLOR_NAMES.slice(0, CATEGORY_COLORS).map((label, i) => ({
  value: String(i),
  label,
}));

/** A small square in the category's colour (decorative: the name is beside it). */
export function Swatch({ color }: { color: number }) {
  return (
    <svg class={`cat-swatch cat-${color}`} width="12" height="12" aria-hidden="true">
      <rect width="12" height="12" rx="2" fill="currentColor" />
    </svg>
  );
}
