// Compressed answers for clients that accept them, so local mode and any proxy benefit: pages,
// JSON and CSV with gzip as they are sent (hono's compress middleware), the static assets with
// brotli or gzip, compressed once at their best setting and kept.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { compress } from "hono/compress";

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

/**
 * Text answers gzipped on the way out (brotli's best setting is too slow for that); an answer
 * whose length is known is left alone under 1 KB.
 */
export const compressPages = () => compress({ encoding: "gzip", threshold: 1024 });

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
