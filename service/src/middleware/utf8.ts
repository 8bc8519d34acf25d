import { isUtf8 } from "node:buffer";
import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../env.ts";

const REFUSED =
  "This request holds bytes that are not UTF-8 text (in its address or a form field). Send text as UTF-8.";

/** The bytes `text` stands for once %XX escapes (and `+` in a form, when `plus`) are decoded. */
export function percentDecodedBytes(text: string, plus = false): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    const hex = text.slice(i + 1, i + 3);
    if (ch === 0x25 && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (plus && ch === 0x2b) {
      out.push(0x20);
    } else if (ch < 0x80) {
      out.push(ch);
    } else {
      // Raw bytes above 0x7f reach us one per character (Node reads the request line as latin1).
      out.push(ch & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Whether a multipart body's non-file parts (and every part's headers) are UTF-8. */
export function multipartTextIsUtf8(body: Buffer, contentType: string): boolean {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = Buffer.from(`--${boundary?.[1] ?? boundary?.[2] ?? ""}`);
  if (marker.length <= 2) return true; // not parseable: the form parser refuses it later
  let start = body.indexOf(marker);
  while (start !== -1) {
    const partStart = start + marker.length;
    const end = body.indexOf(marker, partStart);
    if (end === -1) break;
    const part = body.subarray(partStart, end);
    const split = part.indexOf("\r\n\r\n");
    if (split !== -1) {
      const headers = part.subarray(0, split);
      if (!isUtf8(headers)) return false;
      // File parts are bytes: the import decodes them with the encoding the user picks.
      const isFile = /filename\*?=/i.test(headers.toString("utf8"));
      if (!isFile && !isUtf8(part.subarray(split + 4))) return false;
    }
    start = end;
  }
  return true;
}

const BROKEN_BODY =
  "The request body broke off or was garbled before it was complete. Send the form again.";

/** The client's fault, not ours: its connection closed or its body was garbled mid-way. */
export function isBrokenBody(err: unknown): boolean {
  const e = err as { message?: string; code?: string } | undefined;
  return (
    e?.message === "aborted" ||
    e?.code === "ECONNRESET" ||
    e?.code === "ERR_STREAM_PREMATURE_CLOSE" ||
    (e?.code?.startsWith("HPE_") ?? false)
  );
}

/** Reads the body; a connection that breaks off mid-body is a 400, logged as such. */
async function readBody(reading: Promise<ArrayBuffer>): Promise<ArrayBuffer> {
  try {
    return await reading;
  } catch (err) {
    if (isBrokenBody(err)) throw new HTTPException(400, { message: BROKEN_BODY });
    throw err;
  }
}

interface NodeBindings {
  incoming?: { url?: string };
}

/**
 * Text the app receives must be UTF-8: a URL, urlencoded body or multipart text field with other
 * bytes (raw, %ff%fe, an encoded lone surrogate %ED%A0%80) is refused with 400, rather than
 * decoded to U+FFFD and stored.
 */
export function utf8Only(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const rawUrl = (c.env as NodeBindings | undefined)?.incoming?.url;
    const url = new URL(c.req.url);
    for (const text of [rawUrl ?? "", `${url.pathname}${url.search}`]) {
      if (!isUtf8(percentDecodedBytes(text))) throw new HTTPException(400, { message: REFUSED });
    }
    const type = c.req.header("content-type") ?? "";
    const urlencoded = /^application\/x-www-form-urlencoded\b/i.test(type);
    const multipart = /^multipart\/form-data\b/i.test(type);
    if (urlencoded || multipart) {
      const body = Buffer.from(await readBody(c.req.arrayBuffer()));
      const ok = urlencoded
        ? isUtf8(percentDecodedBytes(body.toString("latin1"), true))
        : multipartTextIsUtf8(body, type);
      if (!ok) throw new HTTPException(400, { message: REFUSED });
      // Hono re-reads a cached body without its Content-Type; parse the form here, once, for
      // the CSRF check and the validators. A malformed one is refused by whoever reads it.
      const form = new Response(body, { headers: { "content-type": type } }).formData();
      form.catch(() => {});
      // Hono keeps promises in bodyCache, whatever its type says.
      (c.req.bodyCache as { formData?: Promise<FormData> }).formData = form;
    }
    await next();
  };
}
