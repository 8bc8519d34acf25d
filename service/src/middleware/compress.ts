// Compressed answers for clients that accept them, so local mode and any proxy benefit: pages,
// JSON and CSV with gzip as they are sent, the static assets with brotli or gzip, compressed once
// at their best setting and kept.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/utils/compress";

export type Encoding = "br" | "gzip";

/**
 * The best of `offered` that an Accept-Encoding header allows (q above 0, `*` counting for the
 * rest), in the order given when the weights tie; undefined for none.
 */
export function chooseEncoding(
  header: string | undefined,
  offered: Encoding[],
): Encoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    // A weight that is not a number refuses the encoding rather than granting it.
    const q = params.map((p) => /^\s*q=(.*)$/.exec(p)?.[1]?.trim()).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : /^[01](\.\d{0,3})?$/.test(q) ? Number(q) : 0;
    if (name) weights.set(name, weight);
  }
  let best: { encoding: Encoding; q: number } | undefined;
  for (const encoding of offered) {
    const q = weights.get(encoding) ?? weights.get("*") ?? 0;
    if (q > 0 && (!best || q > best.q)) best = { encoding, q };
  }
  return best?.encoding;
}

/** Answers whose length is known and under this stay as they are. */
const THRESHOLD_BYTES = 1024;

/**
 * Text answers gzipped on the way out (brotli's best setting is too slow for that); an answer
 * whose length is known is left alone under 1 KB. It reads and sets the answer's headers in
 * place: hono's own compress middleware sets Vary with `c.header()`, which copies every answer
 * whole and turns its body into a stream even when nothing is compressed, a tenth of a list
 * page's time.
 */
export function compressPages(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    const headers = res.headers;
    const type = headers.get("Content-Type");
    const length = headers.get("Content-Length");
    if (
      res.status === 206 ||
      c.req.method === "HEAD" ||
      headers.has("Content-Encoding") ||
      headers.has("Transfer-Encoding") ||
      (length !== null && Number(length) < THRESHOLD_BYTES) ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headers.get("Cache-Control") ?? "")
    )
      return;
    const vary = headers.get("Vary");
    if (vary !== "*" && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary ?? ""))
      headers.set("Vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    if (chooseEncoding(c.req.header("Accept-Encoding"), ["gzip"]) !== "gzip") return;
    const body = res.body;
    if (!body) return;
    // The setter copies the old answer's headers onto the new one: change them after it.
    c.res = new Response(body.pipeThrough(new CompressionStream("gzip")), res);
    const out = c.res.headers;
    out.delete("Content-Length");
    out.set("Content-Encoding", "gzip");
    const etag = out.get("ETag");
    if (etag && !etag.startsWith("W/")) out.set("ETag", `W/${etag}`);
  };
}

/** An asset's body in each encoding, made on first use. */
export class CompressedBody {
  readonly #encoded = new Map<Encoding, Buffer>();
  constructor(readonly body: string) {}

  in(encoding: Encoding): Buffer {
    let found = this.#encoded.get(encoding);
    if (!found) {
      found =
        encoding === "br"
          ? brotliCompressSync(this.body, {
              params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
            })
          : gzipSync(this.body, { level: constants.Z_BEST_COMPRESSION });
      this.#encoded.set(encoding, found);
    }
    return found;
  }
}
