// Files the service ships with: SQL migrations and static assets.
// In development they are read from disk; `npm run build` replaces this module with one that
// holds the same data inline, so the production artifact is a single file.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { iconSprite } from "./brand/icons.ts";
import { webManifest } from "./brand/manifest.ts";
import { markPng, markSvg } from "./brand/mark.ts";

export interface Migration {
  tag: string;
  /** Statements in order (drizzle-kit's `--> statement-breakpoint` separates them). */
  statements: string[];
  /** sha256 of the SQL file, recorded when applied. */
  hash: string;
}

export interface Asset {
  /** Content-hashed public path, e.g. `/assets/bootstrap.3f2a1c9e.min.css`. */
  path: string;
  contentType: string;
  /** The text, or for a binary asset (`base64: true`) its bytes in base64. */
  body: string;
  base64?: true;
}

const migrationsDir = new URL("./db/migrations/", import.meta.url);

export function loadMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((file) => parseMigration(file, readFileSync(new URL(file, migrationsDir), "utf8")));
}

export function parseMigration(file: string, sql: string): Migration {
  return {
    tag: file.replace(/\.sql$/, ""),
    statements: sql
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    hash: createHash("sha256").update(sql).digest("hex"),
  };
}

/** Public name, package file and content type of each static asset. */
export const ASSET_SOURCES = [
  {
    name: "bootstrap.min.css",
    file: "bootstrap/dist/css/bootstrap.min.css",
    contentType: "text/css; charset=utf-8",
  },
  {
    name: "bootstrap.bundle.min.js",
    file: "bootstrap/dist/js/bootstrap.bundle.min.js",
    contentType: "text/javascript; charset=utf-8",
  },
  {
    // The app's own styles (chart colours), loaded after Bootstrap's so they can build on them.
    name: "app.css",
    file: "./assets/app.css",
    contentType: "text/css; charset=utf-8",
  },
  {
    // The brand's colours, the focus ring, the skip link and the icons' sizes.
    name: "brand.css",
    file: "./assets/brand.css",
    contentType: "text/css; charset=utf-8",
  },
  {
    // The app's own script: resolves the "auto" colour mode before the first paint (loaded in
    // <head>, not deferred) and registers the service worker.
    name: "app.js",
    file: "./assets/app.js",
    contentType: "text/javascript; charset=utf-8",
  },
] as const;

/** Assets made from the mark and the icon set rather than read from a file. */
const GENERATED_ASSETS = [
  "icons.svg",
  "mark.svg",
  "icon-192.png",
  "icon-512.png",
  "icon-maskable.png",
  "manifest.webmanifest",
] as const;

export type AssetName = (typeof ASSET_SOURCES)[number]["name"] | (typeof GENERATED_ASSETS)[number];

export function loadAssets(): Record<AssetName, Asset> {
  const require = createRequire(import.meta.url);
  const files = Object.fromEntries(
    ASSET_SOURCES.map((a) => {
      // Drop the trailing source-map comment: the maps are not served.
      const body = readFileSync(require.resolve(a.file), "utf8").replace(
        /\n?\/[*/]# sourceMappingURL=\S+(\s*\*\/)?\s*$/,
        "\n",
      );
      return [a.name, { path: hashedPath(a.name, body), contentType: a.contentType, body }];
    }),
  ) as Record<(typeof ASSET_SOURCES)[number]["name"], Asset>;
  return { ...files, ...generatedAssets() };
}

function generatedAssets(): Record<(typeof GENERATED_ASSETS)[number], Asset> {
  const text = (name: string, contentType: string, body: string): Asset => ({
    path: hashedPath(name, body),
    contentType,
    body,
  });
  const png = (name: string, bytes: Buffer): Asset => {
    const body = bytes.toString("base64");
    return { path: hashedPath(name, body), contentType: "image/png", body, base64: true };
  };
  const svg = "image/svg+xml; charset=utf-8";
  const icons = {
    "icon-192.png": png("icon-192.png", markPng(192)),
    "icon-512.png": png("icon-512.png", markPng(512)),
    "icon-maskable.png": png("icon-maskable.png", markPng(512, { maskable: true })),
  };
  const manifest = webManifest({
    icon192: icons["icon-192.png"].path,
    icon512: icons["icon-512.png"].path,
    maskable512: icons["icon-maskable.png"].path,
  });
  return {
    "icons.svg": text("icons.svg", svg, iconSprite()),
    "mark.svg": text("mark.svg", svg, markSvg()),
    ...icons,
    "manifest.webmanifest": text("manifest.webmanifest", "application/manifest+json", manifest),
  };
}

export function hashedPath(name: string, body: string): string {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const dot = name.indexOf(".");
  return `/assets/${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
}
