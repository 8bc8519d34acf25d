// Bytes to text, piece by piece: UTF-8 (a byte order mark dropped) or Windows-1252.
import type { Encoding } from "./settings.ts";

export type ByteSource = () => AsyncIterable<Uint8Array>;

/** Decodes chunks as they come; a character split across two chunks is kept whole. */
export async function* decodeChunks(
  chunks: AsyncIterable<Uint8Array>,
  encoding: Encoding,
): AsyncGenerator<string> {
  // WHATWG "latin1" is Windows-1252: the euro sign and curly quotes of Windows exports included.
  const decoder = new TextDecoder(encoding === "utf-8" ? "utf-8" : "windows-1252");
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** UTF-8 when every byte of the file is valid UTF-8 (checked piece by piece), else latin1. */
export async function detectEncoding(source: ByteSource): Promise<Encoding> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    for await (const chunk of source()) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return "utf-8";
  } catch {
    return "latin1";
  }
}

/** A source over bytes already in memory, cut in pieces as a file would be read. */
export function bytesSource(bytes: Uint8Array, pieceSize = 64 * 1024): ByteSource {
  return async function* () {
    for (let i = 0; i < bytes.length; i += pieceSize) yield bytes.subarray(i, i + pieceSize);
  };
}
