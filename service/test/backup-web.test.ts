// The settings page's backup: downloading the file, uploading it into a fresh account, and the
// refusals (an account with transactions, a bad file, no file, no CSRF token), each changing nothing.
import { Hono } from "hono";
import { beforeAll, expect, it } from "vitest";
import { MAX_UPLOAD_BYTES } from "../src/backup/format.ts";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import type { AppDeps, AppEnv } from "../src/env.ts";
import { backupRoutes } from "../src/routes/backup.tsx";
import { accountData, rowCounts } from "./support/account-data.ts";
import { type Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

describeEachDatabase("backup on the settings page", (t) => {
  let app: ReturnType<typeof testApp>;
  let source: Awaited<ReturnType<typeof signedInAgent>>;
  let backup: string;

  const upload = (agent: Agent, content: string, name = "backup.json") => {
    const form = new FormData();
    form.set("file", new File([content], name, { type: "application/json" }));
    return agent.postMultipart("/settings/restore", form);
  };

  beforeAll(async () => {
    app = testApp(t.current());
    source = await signedInAgent(app, t.current());
    const db = t.current().db;
    const cats = await listCategories(db, source.user.id);
    await source.agent.post("/settings", {
      timeZone: "Asia/Tokyo",
      currency: "JPY",
      monthStartDay: "10",
    });
    for (const [i, c] of cats.entries()) {
      await createTransaction(db, source.user.id, {
        kind: c.kind,
        title: `Row ${i} «ü» ☕`,
        amountCents: BigInt(100 * i + 1),
        categoryId: c.id,
        occurredOn: `2026-0${1 + (i % 9)}-1${i % 10}`,
        notes: i % 2 ? `line one\nline two ${i}` : null,
        paymentMethod: null,
      });
    }
    const res = await source.agent.get("/settings/backup");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="expense-tracker-backup-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    backup = await res.text();
  });

  it("the settings page offers the download, and no restore to an account with transactions", async () => {
    const res = await source.agent.get("/settings");
    const html = await res.text();
    expect(html).toContain('href="/settings/backup"');
    expect(html).toContain("this one has 9.");
    expect(html).not.toContain('action="/settings/restore"');
    // The whole-database dump is for the owner of an embedded installation only.
    expect(html).not.toContain("/settings/database-dump");
  });

  it("the download is the account's backup", () => {
    const doc = JSON.parse(backup);
    expect(doc).toMatchObject({ format: "expense-tracker-backup", version: 1 });
    expect(doc.settings).toEqual({
      timeZone: "Asia/Tokyo",
      currency: "JPY",
      monthStartDay: 10,
      dateFormat: "YYYY-MM-DD",
      numberFormat: "1,234.56",
      theme: "auto",
    });
    expect(doc.transactions).toHaveLength(9);
    expect(backup.length).toBeLessThan(MAX_UPLOAD_BYTES);
  });

  it("uploading it into a fresh account restores the same data and says what it restored", async () => {
    const fresh = await signedInAgent(app, t.current());
    const page = await (await fresh.agent.get("/settings")).text();
    expect(page).toContain('action="/settings/restore"');
    expect(page).toContain('enctype="multipart/form-data"');
    const res = await upload(fresh.agent, backup);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings");
    const after = await (await fresh.agent.get("/settings")).text();
    expect(after).toContain(
      "Restored the backup: 9 transactions, 9 categories, 0 budgets and 0 import rules.",
    );
    const db = t.current().db;
    expect(await accountData(db, fresh.user.id)).toEqual(await accountData(db, source.user.id));
    // The list and the dashboard show the restored totals.
    const list = await (
      await fresh.agent.get("/transactions?from=2026-01-01&to=2026-12-31")
    ).text();
    const original = await (
      await source.agent.get("/transactions?from=2026-01-01&to=2026-12-31")
    ).text();
    const totals = (html: string) =>
      [...html.matchAll(/data-total="(\w+)">([^<]+)</g)].map((m) => `${m[1]} ${m[2]}`);
    expect(totals(list)).toHaveLength(3);
    expect(totals(list)).toEqual(totals(original));
    const dashboard = (html: string, email: string) =>
      html
        .replace(/(category=|categoryId=|data-largest="|\/transactions\/)\d+/g, "$1")
        .replace(/name="_csrf" value="[^"]+"/g, "")
        .replaceAll(email, "");
    expect(dashboard(await (await fresh.agent.get("/?period=2026")).text(), fresh.email)).toEqual(
      dashboard(await (await source.agent.get("/?period=2026")).text(), source.email),
    );
  });

  it("an upload into an account with transactions is refused with 422, changing nothing", async () => {
    const before = await rowCounts(t.current().db);
    const res = await upload(source.agent, backup);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("This account already holds 9 transactions");
    expect(await rowCounts(t.current().db)).toEqual(before);
  });

  it("a bad file is refused with 422 and its problems listed, changing nothing", async () => {
    const fresh = await signedInAgent(app, t.current());
    const before = await accountData(t.current().db, fresh.user.id);
    const broken = backup.replace('"amount":"1.01"', '"amount":"-1.01"');
    expect(broken).not.toEqual(backup);
    const res = await upload(fresh.agent, broken);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("The backup was not restored: 1 problem in the file.");
    expect(html).toMatch(/<li>transactions\[1\]\.amount: Enter an amount above 0[^<]*<\/li>/);
    for (const [content, message] of [
      ["{ not json", "The file is not valid JSON"],
      ['{"format":"expense-tracker-backup","version":7}', "This backup is version 7"],
    ] as const) {
      const r = await upload(fresh.agent, content);
      expect(r.status).toBe(422);
      expect(await r.text()).toContain(message);
    }
    const none = await fresh.agent.postMultipart("/settings/restore", new FormData());
    expect(none.status).toBe(422);
    expect(await none.text()).toContain("Choose a backup file to restore");
    expect(await accountData(t.current().db, fresh.user.id)).toEqual(before);
  });

  it("takes a backup larger than the app's 1 MB limit through the whole app", async () => {
    const fresh = await signedInAgent(app, t.current());
    // 2 MB of notes: past the 1 MB every other form is held to.
    const file = JSON.parse(backup);
    file.transactions = Array.from({ length: 1000 }, (_, i) => ({
      ...file.transactions[0],
      title: `Padded ${i}`,
      notes: "n".repeat(2000),
    }));
    const big = JSON.stringify(file);
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await upload(fresh.agent, big);
    expect(res.status).toBe(303);
    const stored = await accountData(t.current().db, fresh.user.id);
    expect(stored.transactions).toHaveLength(1000);
  });

  it("an upload without the form's CSRF token is refused with 403", async () => {
    const fresh = await signedInAgent(app, t.current());
    const form = new FormData();
    form.set("_csrf", "x".repeat(86));
    form.set("file", new File([backup], "backup.json"));
    const res = await fresh.agent.postMultipart("/settings/restore", form);
    expect(res.status).toBe(403);
    expect(await accountData(t.current().db, fresh.user.id)).toMatchObject({ transactions: [] });
  });

  it("the route enforces its own limit, whatever limit the body passed before it", async () => {
    // The route alone, without the app's global body limit in front of it.
    const bare = new Hono<AppEnv>();
    bare.use(async (c, next) => {
      c.set("user", source.user);
      c.set("deps", { db: t.current().db } as AppDeps);
      c.set("csrfToken", "token");
      c.set("flash", undefined);
      await next();
    });
    bare.route("/", backupRoutes());
    const before = await rowCounts(t.current().db);
    const declared = await bare.request("/settings/restore", {
      method: "POST",
      body: "x",
      headers: {
        "content-type": "multipart/form-data; boundary=b",
        "content-length": String(MAX_UPLOAD_BYTES * 2),
      },
    });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain("larger than 50 MB");
    const form = new FormData();
    form.set("file", new File([new Uint8Array(MAX_UPLOAD_BYTES + 1)], "big.json"));
    const sent = await bare.request("/settings/restore", { method: "POST", body: form });
    expect(sent.status).toBe(413);
    expect(await sent.text()).toContain("restore it with npm run restore");
    expect(await rowCounts(t.current().db)).toEqual(before);
  });
});
