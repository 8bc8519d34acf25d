import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { createApp } from "../../src/app.tsx";
import { createUser } from "../../src/data/users.ts";
import { type Database, openDatabase } from "../../src/db/client.ts";
import { migrate } from "../../src/db/migrate.ts";
import type { AppDeps } from "../../src/env.ts";
import { silentLogger } from "../../src/lib/logger.ts";
import { createAppRoleDatabase, requirePostgres, type ThrowawayDatabase } from "./postgres.ts";

// Asked once per test file, at import: skips the PostgreSQL half on a laptop, fails under CI=true.
const postgresReady = await requirePostgres();

export type DriverName = "embedded" | "postgres";

export interface TestDatabase {
  /** The open, migrated database; set before the first test runs. */
  current(): Database;
}

/**
 * Defines `body` twice: against the embedded PGlite database and against a throwaway database on
 * the real PostgreSQL server. There the app connects as the restricted role the migration command
 * creates (after the owner migrated), so a grant the app lacks fails here. The PostgreSQL half
 * skips with a message on a laptop without PostgreSQL and fails under CI=true.
 */
export function describeEachDatabase(
  name: string,
  body: (t: TestDatabase, driver: DriverName) => void,
) {
  for (const driver of ["embedded", "postgres"] as const) {
    describe.skipIf(driver === "postgres" && !postgresReady)(`${name} [${driver}]`, () => {
      let database: Database | undefined;
      let throwaway: ThrowawayDatabase | undefined;
      beforeAll(async () => {
        if (driver === "postgres") {
          const prepared = await createAppRoleDatabase();
          throwaway = prepared;
          database = await openDatabase({ url: prepared.appUrl, maxConnections: 4 });
        } else {
          database = await openDatabase({});
          await migrate(database.db);
        }
      });
      afterAll(async () => {
        await database?.close();
        await throwaway?.drop();
      });
      const t: TestDatabase = {
        current() {
          if (!database) throw new Error("database not open yet");
          return database;
        },
      };
      body(t, driver);
    });
  }
}

export const TEST_SECRET = "test-session-secret-0123456789abcdef";

export function testApp(database: Database, overrides: Partial<AppDeps> = {}) {
  return createApp({
    db: database.db,
    logger: silentLogger,
    sessionSecret: TEST_SECRET,
    trustProxy: 0,
    localMode: false,
    ...overrides,
  });
}

type App = ReturnType<typeof createApp>;

/**
 * A browser stand-in over `app.request()`: keeps cookies, and posts forms with the CSRF token
 * taken from the last page it loaded, the way a real form submission would.
 */
export class Agent {
  readonly cookies = new Map<string, string>();
  csrf = "";
  lastHtml = "";

  constructor(
    readonly app: App,
    readonly headers: Record<string, string> = {},
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.app.request(path, { headers: { ...this.baseHeaders(), ...headers } });
    await this.absorb(res);
    return res;
  }

  /** Posts a form; `_csrf` is added from the last page unless the form sets it. */
  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    if (!this.csrf) await this.get("/signin");
    const body = new URLSearchParams({ _csrf: this.csrf, ...form });
    const res = await this.app.request(path, {
      method: "POST",
      body,
      headers: {
        ...this.baseHeaders(),
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
    });
    await this.absorb(res);
    return res;
  }

  /** Posts a multipart form with one file, as a browser's file upload does; `_csrf` as `post`. */
  async upload(
    path: string,
    file: { name: string; content: string | Uint8Array },
    form: Record<string, string> = {},
  ): Promise<Response> {
    const body = new FormData();
    for (const [k, v] of Object.entries(form)) body.set(k, v);
    const bytes =
      typeof file.content === "string" ? new TextEncoder().encode(file.content) : file.content;
    body.set("file", new File([new Uint8Array(bytes)], file.name, { type: "text/csv" }));
    return this.postMultipart(path, body);
  }

  /** Posts `form` as multipart/form-data (a file upload); `_csrf` is added from the last page. */
  async postMultipart(path: string, form: FormData): Promise<Response> {
    if (!this.csrf) await this.get("/signin");
    if (!form.has("_csrf")) form.set("_csrf", this.csrf);
    const res = await this.app.request(path, {
      method: "POST",
      body: form,
      headers: this.baseHeaders(),
    });
    await this.absorb(res);
    return res;
  }

  private baseHeaders(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { ...this.headers, ...(cookie ? { cookie } : {}) };
  }

  private async absorb(res: Response): Promise<void> {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    if ((res.headers.get("content-type") ?? "").includes("text/html")) {
      this.lastHtml = await res.clone().text();
      const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
      if (m?.[1]) this.csrf = m[1];
    }
  }
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomBytes(5).toString("hex")}@example.test`;
}

export const TEST_PASSWORD = "correct horse battery";

/** Creates a user and returns an agent signed in as them. */
export async function signedInAgent(
  app: App,
  database: Database,
  options: { isOwner?: boolean; timeZone?: string } = {},
  headers: Record<string, string> = {},
) {
  const email = uniqueEmail();
  const user = await createUser(database.db, { email, password: TEST_PASSWORD, ...options });
  const agent = new Agent(app, headers);
  await agent.get("/signin");
  const res = await agent.post("/signin", { email, password: TEST_PASSWORD });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  // As a browser does: follow the redirect, which also brings the new CSRF cookie and token.
  await agent.get(res.headers.get("location") ?? "/");
  return { agent, user, email };
}
