// Hostile input, table-driven: every case gets a 4xx with a sentence that says what is accepted,
// never a 5xx, and leaves every table exactly as it was.
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { assetPath } from "../src/assets.ts";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { createUser } from "../src/data/users.ts";
import type { Database } from "../src/db/client.ts";
import { type Ctx, HOSTILE_CASES } from "./hostile/cases.ts";
import { tokenFor } from "./support/api.ts";
import {
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
  uniqueEmail,
} from "./support/harness.ts";

const TABLES = [
  "users",
  "sessions",
  "categories",
  "transactions",
  "month_totals",
  "budgets",
  "recurring_rules",
  "idempotent_requests",
  "imports",
  "import_uploads",
  "import_rules",
  "import_profiles",
];
const SITE = "money.example.test";
// Long, as browsers make them: undici misreads a one-letter boundary that occurs in a value.
const BOUNDARY = "----ExpenseTrackerTestBoundary7f3a9c";

/** Row count and a digest of every row of every table. */
async function fingerprint(database: Database): Promise<string[]> {
  const out: string[] = [];
  for (const table of TABLES) {
    const result = (await database.db.execute(
      sql.raw(
        `select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`,
      ),
    )) as unknown as { rows: { n: string; digest: string }[] };
    const row = result.rows[0];
    out.push(`${table}:${row?.n}:${row?.digest}`);
  }
  return out;
}

function urlencoded(fields: Record<string, string | string[]>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return body.toString();
}

function multipart(fields: Record<string, string | string[]>, titleBytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  const add = (name: string, value: Buffer, filename?: string) =>
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}\r\n\r\n`,
      ),
      value,
      Buffer.from("\r\n"),
    );
  for (const [k, v] of Object.entries(fields))
    for (const one of [v].flat()) add(k, Buffer.from(one));
  add("title", titleBytes);
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

describeEachDatabase("hostile input", (t) => {
  let ctx: Ctx;
  beforeAll(async () => {
    const app = testApp(t.current(), { publicOrigins: [`http://${SITE}`] });
    const { agent, user } = await signedInAgent(app, t.current(), {}, { host: SITE });
    const [category] = await listCategories(t.current().db, user.id);
    const cookie = () => [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const db = t.current().db;
    const token = await tokenFor(db, user.id);
    const stranger = await createUser(db, { email: uniqueEmail(), password: TEST_PASSWORD });
    const [theirs] = await listCategories(db, stranger.id);
    const theirId = await createTransaction(db, stranger.id, {
      kind: "expense",
      title: "Theirs",
      amountCents: 100n,
      categoryId: theirs?.id as number,
      occurredOn: "2026-03-01",
      notes: null,
      paymentMethod: null,
    });
    ctx = {
      readOnlyToken: await tokenFor(db, user.id, "read"),
      foreignTransactionId: String(theirId),
      foreignCategoryId: String(theirs?.id),
      api: (path, init = {}) => {
        const authorization =
          init.authorization === undefined ? `Bearer ${token}` : init.authorization;
        return app.request(path, {
          method: init.method ?? "GET",
          ...(init.body === undefined ? {} : { body: init.body as BodyInit }),
          headers: {
            host: SITE,
            ...(authorization === null ? {} : { authorization }),
            ...init.headers,
          },
        });
      },
      categoryId: String(category?.id),
      assetPath: assetPath("bootstrap.min.css"),
      raw: (path, init = {}) =>
        app.request(path, {
          ...init,
          headers: { host: SITE, cookie: cookie(), ...(init.headers as Record<string, string>) },
        }),
      upload: (fields, file) => {
        const body = new FormData();
        for (const [k, v] of Object.entries({ _csrf: agent.csrf, ...fields })) body.set(k, v);
        if (file) body.set("file", new File([file.content], file.name, { type: "text/csv" }));
        return app.request("/imports/upload", {
          method: "POST",
          body,
          headers: { host: SITE, cookie: cookie() },
        });
      },
      form: (path, fields, headers = {}) => {
        const {
          "x-raw-suffix": suffix,
          "x-raw-bytes": bytes,
          "x-multipart-title-hex": hex,
          ...rest
        } = headers;
        const all = { _csrf: agent.csrf, ...fields };
        let body: string | Uint8Array = urlencoded(all) + (suffix ?? "");
        let type = "application/x-www-form-urlencoded";
        if (bytes) {
          body = new Uint8Array(
            Buffer.concat([Buffer.from(`${body}&notes=`), Buffer.from(bytes, "hex")]),
          );
        }
        if (hex) {
          body = new Uint8Array(multipart(all, Buffer.from(hex, "hex")));
          type = `multipart/form-data; boundary=${BOUNDARY}`;
        }
        return app.request(path, {
          method: "POST",
          body: body as BodyInit,
          headers: { host: SITE, cookie: cookie(), "content-type": type, ...rest },
        });
      },
    };
  });

  it("has at least 80 cases, each with its own name", () => {
    const names = HOSTILE_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(80);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const before = await fingerprint(t.current());
    const res = await c.send(ctx);
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    if (c.name.startsWith("API ")) {
      // JSON escapes quotes: the sentence is looked for in the parsed message and fields.
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const { error } = JSON.parse(text);
      expect(Object.keys(error)).toEqual(["code", "message", "fields"]);
      expect([error.message, ...Object.values(error.fields)].join("\n"), text).toContain(c.says);
    } else {
      expect(text).toContain(c.says);
    }
    // zod's own wording never reaches a user.
    expect(text).not.toMatch(/Invalid input|expected (string|number)|Too (big|small)/);
    expect(await fingerprint(t.current())).toEqual(before);
  });

  it("a Windows-1252 file part passes the whole middleware stack as bytes", async () => {
    const before = await fingerprint(t.current());
    const csv = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x3b, 0x80, 0x35, 0x0a]); // "Café;€5\n"
    const fields = { kind: "expense", amount: "5", categoryId: ctx.categoryId };
    const body = multipart({ ...fields, _csrf: await freshToken(ctx) }, Buffer.from("Café"));
    const withFile = Buffer.concat([
      body.subarray(0, body.length - `--${BOUNDARY}--\r\n`.length),
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bank.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      csv,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    const saved = await ctx.raw("/transactions", {
      method: "POST",
      body: new Uint8Array(withFile),
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect(saved.status, await saved.clone().text()).toBe(303);
    expect(await fingerprint(t.current())).not.toEqual(before);
  });
});

/** A token from a page the owner loads now. */
async function freshToken(ctx: Ctx): Promise<string> {
  const html = await (await ctx.raw("/transactions/new")).text();
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
}
