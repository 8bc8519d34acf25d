import { THEMES, type Theme } from "../db/schema.ts";

/** The colour mode chosen on signed-out pages (and kept after signing out). */
export const THEME_COOKIE = "et_theme";

/** `value` as a colour mode, or undefined for anything else. */
export function parseTheme(value: string | undefined): Theme | undefined {
  return THEMES.find((t) => t === value);
}

/** What each mode is called in the menu. */
export const THEME_LABELS: Record<Theme, string> = {
  auto: "Auto (as the system)",
  light: "Light",
  dark: "Dark",
};
