// What the API reads before any handler: the URL and the body, refused with JSON errors that say
// what is accepted, and a parsed body left where the validators look for it.
import { isUtf8 } from "node:buffer";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env.ts";
import { isBrokenBody, percentDecodedBytes } from "../../middleware/utf8.ts";
import { ApiError } from "./errors.ts";

/** Largest request body the API accepts, in bytes. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/** Hono re-reads a body from this cache (see HonoRequest's bodyCache); `json()` parses `text`. */
type BodyCache = { text?: Promise<string> };

/** Zod issue formatting: the first message per field, form-wide ones under `_body`. */
export function issueFields(
  issues: readonly {
    path: readonly PropertyKey[];
    message: string;
    code?: string;
    keys?: string[];
  }[],
) {
  // A Map, then own properties: a field named "__proto__" must stay a field, not a prototype.
  const fields = new Map<string, string>();
  for (const issue of issues) {
    const names =
      issue.code === "unrecognized_keys" && issue.keys?.length
        ? issue.keys
        : [issue.path.length > 0 ? issue.path.map(String).join(".") : "_body"];
    for (const name of names) if (!fields.has(name)) fields.set(name, issue.message);
  }
  return Object.fromEntries(fields) as Record<string, string>;
}

/**
 * Checks the URL of every request, and the body of those whose operation takes a JSON body
 * (`takesBody`); other requests go on to their route, or to the API's 404 and 405.
 */
export function apiInput(
  takesBody: (method: string, path: string) => boolean,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const raw = (c.env as { incoming?: { url?: string } } | undefined)?.incoming?.url ?? "";
    const url = new URL(c.req.url);
    for (const text of [raw, `${url.pathname}${url.search}`]) {
      if (!isUtf8(percentDecodedBytes(text))) {
        throw new ApiError(400, "The URL holds bytes that are not UTF-8; send its text as UTF-8.");
      }
    }
    if (!takesBody(c.req.method, c.req.path)) return next();
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > MAX_API_BODY_BYTES) throw tooLarge();
    const type = c.req.header("content-type") ?? "";
    if (!JSON_TYPE.test(type.trim())) {
      throw new ApiError(
        415,
        `Send the body as JSON with Content-Type: application/json (got ${type ? JSON.stringify(type.slice(0, 100)) : "none"}).`,
      );
    }
    const bytes = await readLimited(c.req.raw);
    if (!isUtf8(bytes)) throw new ApiError(400, "The body is not UTF-8 text; send JSON as UTF-8.");
    const text = bytes.toString("utf8");
    try {
      JSON.parse(text);
    } catch (err) {
      throw new ApiError(
        400,
        bytes.length === 0
          ? "The body is empty; send a JSON object."
          : `The body is not valid JSON (${(err as Error).message}).`,
      );
    }
    (c.req.bodyCache as BodyCache).text = Promise.resolve(text);
    await next();
  };
}

const tooLarge = () =>
  new ApiError(
    413,
    `The body is larger than ${MAX_API_BODY_BYTES / 1024 / 1024} MB; send less at once.`,
  );

/** Reads the body, stopping as soon as it passes the limit (a Content-Length can lie or be absent). */
async function readLimited(req: Request): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req.body) {
      size += chunk.byteLength;
      if (size > MAX_API_BODY_BYTES) throw tooLarge();
      chunks.push(Buffer.from(chunk));
    }
  } catch (err) {
    if (isBrokenBody(err))
      throw new ApiError(400, "The request body broke off before it was complete.");
    throw err;
  }
  return Buffer.concat(chunks);
}
