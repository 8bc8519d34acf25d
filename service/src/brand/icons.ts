// The icons the pages use, from bootstrap-icons: the sprite holds these and no others.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** Every icon a page may show; `<Icon name>` accepts only these. */
export const ICON_NAMES = [
  "arrow-counterclockwise",
  "arrow-repeat",
  "box-arrow-in-right",
  "box-arrow-right",
  "check-lg",
  "chevron-left",
  "chevron-right",
  "circle-half",
  "download",
  "gear",
  "house",
  "inbox",
  "key",
  "list-ul",
  "moon-stars",
  "pencil",
  "people",
  "person-plus",
  "piggy-bank",
  "plus-lg",
  "sun",
  "tags",
  "trash",
  "upload",
  "wifi-off",
  "x-lg",
] as const;

export type IconName = (typeof ICON_NAMES)[number];

/**
 * One SVG document with a `<symbol id="NAME">` per icon, for `<use href="sprite#NAME">`. The
 * icons draw in `currentColor`, so they take the colour of the text around them.
 */
export function iconSprite(): string {
  const require = createRequire(import.meta.url);
  const symbols = ICON_NAMES.map((name) => {
    const svg = readFileSync(require.resolve(`bootstrap-icons/icons/${name}.svg`), "utf8");
    const viewBox = /viewBox="([^"]+)"/.exec(svg)?.[1];
    const inner = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(svg)?.[1]?.trim();
    if (!viewBox || !inner) throw new Error(`bootstrap-icons: ${name}.svg is not an icon`);
    return `<symbol id="${name}" viewBox="${viewBox}">${inner.replace(/\s*\n\s*/g, "")}</symbol>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg">${symbols.join("")}</svg>\n`;
}
