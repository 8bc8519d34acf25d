// Clients for the load and fault suites: each posts the add-transaction form again and again,
// as a browser would (session cookie, CSRF token, Origin, a fresh form key per transaction), and
// retries a transaction whose answer it did not get with the same key, until told to stop.
import { randomBytes } from "node:crypto";
import { hiddenInput, numericOptions, WebSession } from "../../../scripts/ops/web-session.ts";

export interface WriteLog {
  /** Titles whose POST got its 303: the server said they are saved. */
  acknowledged: Set<string>;
  /** Answers by status (303, 503, ...). */
  statuses: Map<number, number>;
  /** Requests that got no answer, by error code (ECONNRESET, ECONNREFUSED, ...). */
  networkErrors: Map<string, number>;
  /** When each 503 and each success came, for "served again within 5 s". */
  events: { at: number; ok: boolean }[];
  /** The sentences the 503 pages said. */
  unavailableMessages: Set<string>;
}

export function emptyLog(): WriteLog {
  return {
    acknowledged: new Set(),
    statuses: new Map(),
    networkErrors: new Map(),
    events: [],
    unavailableMessages: new Set(),
  };
}

const bump = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);

/** A signed-in browser's cookies, token and a category id, shared by every writer. */
export interface SignedIn {
  origin: string;
  cookie: string;
  csrf: string;
  categoryId: string;
}

export async function signIn(origin: string, email: string, password: string): Promise<SignedIn> {
  const web = new WebSession(origin);
  const page = await web.get("/signin");
  const res = await web.postForm("/signin", {
    _csrf: hiddenInput(page.body, "_csrf") ?? "",
    email,
    password,
    next: "/",
  });
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  const form = await web.get("/transactions/new");
  const cookie = ["et_session", "et_csrf"].map((n) => `${n}=${web.cookie(n) ?? ""}`).join("; ");
  return {
    origin,
    cookie,
    csrf: hiddenInput(form.body, "_csrf") ?? "",
    categoryId: numericOptions(form.body)[0]?.value ?? "",
  };
}

function errorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as { code?: string }).code ?? (err as Error).name;
}

/**
 * Runs `clients` writers until `stop()` is true, then lets each finish the transaction it is on
 * (retrying until acknowledged or `giveUpAt`). With `keys: false` no form key is sent.
 */
export async function runWriters(options: {
  session: SignedIn;
  clients: number;
  prefix: string;
  log: WriteLog;
  stop: () => boolean;
  /** Stop retrying after this time (ms since the epoch). */
  giveUpAt: number;
  /** Whether a writer goes on after ECONNREFUSED (the server is gone for good: no). Default true. */
  retryRefused?: boolean;
}): Promise<void> {
  const { session, log } = options;
  const writer = async (n: number) => {
    for (let seq = 0; !options.stop(); seq++) {
      const title = `${options.prefix}-${n}-${seq}`;
      const body = new URLSearchParams({
        _csrf: session.csrf,
        _key: randomBytes(16).toString("base64url"),
        kind: "expense",
        title,
        amount: `${1 + (seq % 97)}.${String(n % 100).padStart(2, "0")}`,
        categoryId: session.categoryId,
        occurredOn: "2026-11-15",
      }).toString();
      while (Date.now() < options.giveUpAt) {
        try {
          const res = await fetch(`${session.origin}/transactions`, {
            method: "POST",
            body,
            redirect: "manual",
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              origin: session.origin,
              cookie: session.cookie,
            },
            signal: AbortSignal.timeout(15_000),
          });
          const text = await res.text();
          bump(log.statuses, res.status);
          const lead = /<p class="lead">([^<]*)<\/p>/.exec(text)?.[1];
          if (res.status === 503 && lead) log.unavailableMessages.add(lead);
          log.events.push({ at: Date.now(), ok: res.status === 303 });
          if (res.status === 303) {
            log.acknowledged.add(title);
            break;
          }
          if (res.status !== 503) break; // a 4xx or 500: not retried, counted
          await new Promise((r) => setTimeout(r, 100));
        } catch (err) {
          const code = errorCode(err);
          bump(log.networkErrors, code);
          if (code === "ECONNREFUSED" && options.retryRefused === false) return;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, n) => writer(n)));
}

export const count = (m: Map<unknown, number>) => [...m.values()].reduce((a, b) => a + b, 0);
