// Where a form may send the browser back to: the sign-in's `next` and the list's `back`. One
// check for both, so no second, looser one can open a redirect off the site.

/**
 * Only a path on this site is followed after sign-in. Browsers drop tabs and newlines from URLs
 * and read a backslash as a slash, so `/\t/evil.example` would lead off-site: such input means "/".
 * The check runs on the normalised path, because removing a dot segment can turn `/.//evil.example`
 * or `/%2e//evil.example` into `//evil.example`, which a browser reads as another host; a path that
 * decodes to such a start (`/%2F%2Fevil.example`) is refused too, for clients that decode it.
 */
export function safeNext(next: string | undefined): string {
  const unsafe = [...(next ?? "")].some((ch) => ch <= "\u001f" || ch === "\u007f" || ch === "\\");
  if (!next?.startsWith("/") || unsafe) return "/";
  const url = new URL(next, "http://this.site");
  if (url.origin !== "http://this.site") return "/";
  const target = `${url.pathname}${url.search}${url.hash}`;
  return leadsOffSite(target) || leadsOffSite(decodedPath(url.pathname)) ? "/" : target;
}

/** A second slash or backslash after the first makes a path a network-path reference. */
const leadsOffSite = (path: string) => !path.startsWith("/") || /^\/[/\\]/.test(path);

function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path).replace(/^\/(\.{1,2}\/)+/, "/");
  } catch {
    return "//"; // undecodable: treated as unsafe
  }
}

/**
 * A return address a form carried (`back`), when it passes safeNext and is one of the pages
 * `allowed` names; otherwise `fallback`.
 */
export function backWithin(back: unknown, allowed: RegExp, fallback: string): string {
  const path = typeof back === "string" ? safeNext(back) : "/";
  return allowed.test(path) ? path : fallback;
}

/** The pages a transaction form or confirmation returns to: the list, with its query. */
const LIST_PATH = /^\/transactions(\?|$)/;

/** The list URL the user came from (filters, sort and page), or the plain list. */
export const backToList = (back: unknown): string => backWithin(back, LIST_PATH, "/transactions");

/** `path` with the list to return to in its `back` parameter (none for the plain list). */
export function withBack(path: string, back: string): string {
  if (back === "/transactions") return path;
  return `${path}${path.includes("?") ? "&" : "?"}back=${encodeURIComponent(back)}`;
}
