/** One HTTP answer, read whole. */
export interface Page {
  status: number;
  headers: Headers;
  body: string;
}

export interface WebSessionOptions {
  /** Per-request time limit. Default 15 s. */
  timeoutMs?: number;
  /** Aborts every request in flight (Ctrl-C). */
  signal?: AbortSignal;
  /** Default the global fetch. */
  fetch?: typeof fetch;
}

/**
 * A browser stand-in for the smoke test: keeps cookies, never follows redirects (the checks look
 * at the 303s themselves), and sends the site's Origin on POSTs as a browser would, which the
 * CSRF check requires.
 */
export class WebSession {
  readonly origin: string;
  private readonly cookies = new Map<string, string>();
  private readonly options: WebSessionOptions;

  constructor(origin: string, options: WebSessionOptions = {}) {
    this.origin = new URL(origin).origin;
    this.options = options;
  }

  /** The current value of a cookie the site set, if any. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  get(path: string): Promise<Page> {
    return this.request(path, { method: "GET" });
  }

  /** POSTs `fields` as a form, the way the site's own forms do. */
  postForm(path: string, fields: Record<string, string>): Promise<Page> {
    return this.request(path, {
      method: "POST",
      body: new URLSearchParams(fields).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: this.origin },
    });
  }

  private async request(
    path: string,
    init: RequestInit & { headers?: Record<string, string> },
  ): Promise<Page> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 15_000);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await (this.options.fetch ?? fetch)(new URL(path, this.origin), {
      ...init,
      redirect: "manual",
      signal,
      headers: {
        "user-agent": "expense-tracker-smoke",
        ...init.headers,
        ...(cookie ? { cookie } : {}),
      },
    });
    this.remember(res.headers.getSetCookie());
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  private remember(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // deleteCookie() answers with an empty value and Max-Age=0 (or an Expires in the past).
      const expired = attributes.some((a) => {
        const [k = "", v = ""] = a.split("=").map((p) => p.trim());
        if (/^max-age$/i.test(k)) return Number(v) <= 0;
        if (/^expires$/i.test(k)) return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

/** The value of a hidden `<input name=...>` in a page, e.g. the `_csrf` token. */
export function hiddenInput(html: string, name: string): string | undefined {
  for (const tag of html.match(/<input\b[^>]*>/g) ?? []) {
    if (new RegExp(`\\bname="${name}"`).test(tag)) return /\bvalue="([^"]*)"/.exec(tag)?.[1];
  }
  return undefined;
}

/** The `<option value="N">Label</option>` entries of a page whose value is a number. */
export function numericOptions(html: string): { value: string; label: string }[] {
  return [...html.matchAll(/<option\b[^>]*\bvalue="(\d+)"[^>]*>([^<]*)<\/option>/g)].map((m) => ({
    value: m[1] ?? "",
    label: (m[2] ?? "").trim(),
  }));
}

/** The `data-id` of the transaction-table row that shows `title`, if any. */
export function rowIdWithTitle(html: string, title: string): string | undefined {
  for (const row of html.match(/<tr data-id="\d+"[\s\S]*?<\/tr>/g) ?? []) {
    if (row.includes(title)) return /data-id="(\d+)"/.exec(row)?.[1];
  }
  return undefined;
}
