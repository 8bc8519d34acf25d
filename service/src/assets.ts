import type { MiddlewareHandler } from "hono";
import { type AssetName, loadAssets } from "./embedded.ts";

const assets = loadAssets();
const byPath = new Map(Object.values(assets).map((a) => [a.path, a]));

/** The content-hashed URL of a static asset. */
export function assetPath(name: AssetName): string {
  return assets[name].path;
}

/** Serves the static assets; their URLs change with their content, so they cache for a year. */
export function serveAssets(): MiddlewareHandler {
  return async (c, next) => {
    const asset = byPath.get(c.req.path);
    if (!asset) return next();
    c.header("Content-Type", asset.contentType);
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(asset.body);
  };
}
