// The web app manifest: what an installed app is called, its icons and colours.
import { BRAND } from "./mark.ts";

export interface ManifestIcons {
  icon192: string;
  icon512: string;
  maskable512: string;
}

/** The manifest's JSON text; paths are absolute, so the manifest's own URL does not matter. */
export function webManifest(icons: ManifestIcons): string {
  return `${JSON.stringify(
    {
      name: "Expense Tracker",
      short_name: "Expenses",
      description: "Your income, expenses and budgets, on your own server.",
      id: "/",
      start_url: "/",
      scope: "/",
      display: "standalone",
      theme_color: BRAND.colour,
      background_color: BRAND.background,
      icons: [
        { src: icons.icon192, sizes: "192x192", type: "image/png", purpose: "any" },
        { src: icons.icon512, sizes: "512x512", type: "image/png", purpose: "any" },
        { src: icons.maskable512, sizes: "512x512", type: "image/png", purpose: "maskable" },
      ],
    },
    null,
    2,
  )}\n`;
}
