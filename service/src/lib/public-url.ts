/** What PUBLIC_URL accepts, said whenever a value is refused. */
export const PUBLIC_URL_RULE =
  "must be one or more site addresses such as https://money.example.com, separated by commas or spaces (no path, query or user name)";

/**
 * Parses PUBLIC_URL into origins (`https://money.example.com`), or an error sentence. Each entry
 * is a scheme and host, optionally a port: the site's address as the viewer types it.
 */
export function parsePublicUrls(value: string): { origins: string[] } | { error: string } {
  const entries = value.split(/[\s,]+/).filter((e) => e !== "");
  if (entries.length === 0) return { error: PUBLIC_URL_RULE };
  const origins: string[] = [];
  for (const entry of entries) {
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return { error: `${JSON.stringify(entry)} is not an address; ${PUBLIC_URL_RULE}` };
    }
    const plain =
      (url.protocol === "https:" || url.protocol === "http:") &&
      url.username === "" &&
      url.password === "" &&
      url.pathname === "/" &&
      url.search === "" &&
      url.hash === "" &&
      !entry.includes("?") &&
      !entry.includes("#");
    if (!plain) return { error: `${JSON.stringify(entry)}: ${PUBLIC_URL_RULE}` };
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return { origins };
}

/**
 * The `host[:port]` a request names, as URL.host writes it for `proto` (lower case, default port
 * dropped), or undefined when the Host header is not a plain host.
 */
export function normalHost(proto: string, host: string): string | undefined {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) return undefined;
  try {
    return new URL(`${proto}://${host}`).host;
  } catch {
    return undefined;
  }
}
