import type { MiddlewareHandler } from "hono";
import { type AssetName, loadAssets } from "./embedded.ts";
import { CompressedBody, chooseEncoding } from "./middleware/compress.ts";

const assets = loadAssets();
const byPath = new Map(
  Object.values(assets).map((a) => [
    a.path,
    a.base64
      ? { ...a, bytes: new Uint8Array(Buffer.from(a.body, "base64")), compressed: undefined }
      : { ...a, bytes: undefined, compressed: new CompressedBody(a.body) },
  ]),
);

/** The content-hashed URL of a static asset. */
export function assetPath(name: AssetName): string {
  return assets[name].path;
}

/**
 * Serves the static assets; their URLs change with their content, so they cache for a year.
 * Brotli or gzip when the client accepts either.
 * Only GET and HEAD: anything else is refused before a body is read (no body limit runs here).
 */
export function serveAssets(): MiddlewareHandler {
  return async (c, next) => {
    const asset = byPath.get(c.req.path);
    if (!asset) return next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      c.header("Allow", "GET, HEAD");
      return c.text("A stylesheet or script can only be fetched, with GET or HEAD.", 405);
    }
    c.header("Content-Type", asset.contentType);
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    // A PNG is compressed already.
    if (asset.bytes) return c.body(asset.bytes);
    c.header("Vary", "Accept-Encoding");
    const encoding = chooseEncoding(c.req.header("Accept-Encoding"), ["br", "gzip"]);
    if (!encoding || !asset.compressed) return c.body(asset.body);
    c.header("Content-Encoding", encoding);
    return c.body(new Uint8Array(asset.compressed.in(encoding)));
  };
}

/** Every asset's content-hashed URL, in a stable order. */
export function assetPaths(): string[] {
  return Object.values(assets)
    .map((a) => a.path)
    .sort();
}
