// The restricted role the web service connects as: what it may do (the whole app works) and
// what it may not (DDL, other databases, the migrations' bookkeeping, superuser powers).
import { createHash, createHmac } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAppRole, scramVerifier } from "../src/db/app-role.ts";
import { type Database, openDatabase } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { loadMigrations, parseMigration } from "../src/embedded.ts";
import { type Agent, signedInAgent, testApp } from "./support/harness.ts";
import { groupedTransactions, storedTotals } from "./support/month-totals.ts";
import {
  type AppRoleDatabase,
  createAppRoleDatabase,
  requirePostgres,
} from "./support/postgres.ts";

const ready = await requirePostgres();

describe("scramVerifier", () => {
  it("gives keys that complete RFC 7677's example exchange (user, password pencil)", () => {
    const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
    const verifier = scramVerifier("pencil", salt);
    const m = /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$([^:]+):(.+)$/.exec(verifier);
    expect(m).not.toBeNull();
    const storedKey = Buffer.from(m?.[1] ?? "", "base64");
    const serverKey = Buffer.from(m?.[2] ?? "", "base64");
    const nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const hmac = (key: Buffer) => createHmac("sha256", key).update(authMessage).digest();
    // The server's signature the RFC shows (v=), from our ServerKey.
    expect(hmac(serverKey).toString("base64")).toBe("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    // The client's proof the RFC shows (p=) checks out against our StoredKey, as the server checks it.
    const proof = Buffer.from("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "base64");
    const signature = hmac(storedKey);
    const clientKey = Buffer.from(proof.map((b, i) => b ^ (signature[i] ?? 0)));
    expect(createHash("sha256").update(clientKey).digest().equals(storedKey)).toBe(true);
  });

  it("salts every call differently", () => {
    expect(scramVerifier("same password here")).not.toBe(scramVerifier("same password here"));
  });
});

/** The SQLSTATE a query fails with, or "ok". */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (err) {
    let e = err as { code?: string; cause?: unknown };
    while (!e.code && e.cause) e = e.cause as typeof e;
    return e.code ?? (err as Error).message;
  }
}

describe.runIf(ready)("the app role on PostgreSQL", () => {
  let prepared: AppRoleDatabase;
  let owner: Database;
  let app: Database;
  const asApp = (text: string) => app.db.execute(sql.raw(text));
  const asOwner = async <T>(text: string) =>
    ((await owner.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;

  beforeAll(async () => {
    prepared = await createAppRoleDatabase();
    owner = await openDatabase({ url: prepared.url, maxConnections: 2 });
    app = await openDatabase({ url: prepared.appUrl, maxConnections: 2 });
  });
  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await prepared?.drop();
  });

  it("is a login role with no superuser, database, role, replication or RLS-bypass powers", async () => {
    const [role] = await asOwner<Record<string, boolean>>(
      `select rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolinherit, rolcanlogin
       from pg_roles where rolname = '${prepared.appRole}'`,
    );
    expect(role).toEqual({
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolreplication: false,
      rolbypassrls: false,
      rolinherit: false,
      rolcanlogin: true,
    });
    const [stored] = await asOwner<{ p: string }>(
      `select rolpassword as p from pg_authid where rolname = '${prepared.appRole}'`,
    );
    expect(stored?.p).toMatch(/^SCRAM-SHA-256\$4096:/);
  });

  it.each([
    ["create a table", "create table intruder (id int)"],
    ["create a temporary table", "create temporary table intruder (id int)"],
    ["create a schema", "create schema intruder"],
    ["drop a table", "drop table transactions"],
    ["alter a table", "alter table users add column intruder int"],
    ["truncate a table", "truncate sessions"],
    ["drop a trigger", "drop trigger transactions_month_totals_insert on transactions"],
    ["create a function", "create function intruder() returns int language sql as 'select 1'"],
    ["forge an applied migration", "insert into schema_migrations (tag, hash) values ('x', 'y')"],
    ["delete an applied migration", "delete from schema_migrations"],
    ["take the owner's role", "set role postgres"],
    ["create a role", "create role intruder"],
    ["create a database", "create database intruder"],
  ])("may not %s", async (_, statement) => {
    expect(await outcome(() => asApp(statement))).toBe("42501");
  });

  it("may read which migrations are applied, for the readiness check", async () => {
    expect(await outcome(() => asApp("select tag from schema_migrations"))).toBe("ok");
  });

  it("may run migrate() when every migration is applied, which then only reads; a pending one it may not apply", async () => {
    expect(await migrate(app.db)).toEqual([]);
    const extra = parseMigration("9999_intruder.sql", "create table intruder (id int);");
    expect(await outcome(() => migrate(app.db, [...loadMigrations(), extra]))).toBe("42501");
  });

  it("may connect to its own database only", async () => {
    const to = (database: string) => {
      const url = new URL(prepared.appUrl);
      url.pathname = `/${database}`;
      return new pg.Client({ connectionString: url.toString() });
    };
    for (const other of ["postgres", "template1"]) {
      const client = to(other);
      const result = await outcome(() => client.connect());
      await client.end().catch(() => {});
      // template1 belongs to the superuser here, and to rdsadmin on RDS: only PUBLIC's grant on
      // databases the migrating user owns is taken away.
      if (other === "postgres") expect(result).toBe("42501");
    }
    const own = to(prepared.name);
    expect(await outcome(() => own.connect())).toBe("ok");
    await own.end();
  });

  it("gets the tables and sequences later migrations create, through default privileges", async () => {
    await asOwner("create table later_feature (id int generated always as identity, note text)");
    expect(await outcome(() => asApp("insert into later_feature (note) values ('x')"))).toBe("ok");
    expect(await outcome(() => asApp("update later_feature set note = 'y'"))).toBe("ok");
    expect(await outcome(() => asApp("delete from later_feature"))).toBe("ok");
    expect(await outcome(() => asApp("drop table later_feature"))).toBe("42501");
    await asOwner("drop table later_feature");
  });

  it("runs the whole app: sign-in, categories, add, edit and delete, month totals by trigger", async () => {
    const web = testApp(app);
    const { agent, user } = await signedInAgent(web, app);
    const key = (html: string) => /name="_key" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const added = await agent.post("/categories", {
      _key: key(await (await agent.get("/categories")).text()),
      kind: "expense",
      name: "Garden",
      color: "3",
    });
    expect(added.status).toBe(303);
    const categoryId = await optionFor(agent, "Garden");
    const form = {
      kind: "expense",
      title: "Seeds",
      amount: "12.50",
      categoryId,
      occurredOn: "2026-03-04",
      notes: "",
      paymentMethod: "Card",
    };
    expect((await agent.post("/transactions", form)).status).toBe(303);
    const [row] = await asOwner<{ id: number }>(
      `select id from transactions where user_id = ${user.id}`,
    );
    expect(row).toBeDefined();
    const edited = await agent.post(`/transactions/${row?.id}`, { ...form, amount: "20.00" });
    expect(edited.status).toBe(303);
    const totals = (await storedTotals(app.db)).filter((r) => r.user_id === user.id);
    expect(totals).toEqual([expect.objectContaining({ cents: "2000", count: 1 })]);
    expect(totals).toEqual(
      (await groupedTransactions(app.db)).filter((r) => r.user_id === user.id),
    );
    expect((await agent.post(`/transactions/${row?.id}/delete`, {})).status).toBe(303);
    expect((await storedTotals(app.db)).filter((r) => r.user_id === user.id)).toEqual([]);
    expect((await web.request("/readyz")).status).toBe(200);
  });

  it("is updated in place when it exists: new password, no new role", async () => {
    const [before] = await asOwner<{ p: string }>(
      `select rolpassword as p from pg_authid where rolname = '${prepared.appRole}'`,
    );
    const result = await ensureAppRole(owner.db, {
      role: prepared.appRole,
      password: "another-password-0123456789",
    });
    expect(result).toMatchObject({ role: prepared.appRole, created: false });
    const [after] = await asOwner<{ p: string }>(
      `select rolpassword as p from pg_authid where rolname = '${prepared.appRole}'`,
    );
    expect(after?.p).not.toBe(before?.p);
  });

  it("refuses a role that has been made a superuser, naming the attribute", async () => {
    const role = `${prepared.name}_super`;
    await asOwner(`create role ${role} superuser`);
    try {
      await expect(
        ensureAppRole(owner.db, { role, password: "a-password-0123456789" }),
      ).rejects.toThrow(new RegExp(`app role ${role} has SUPER`));
    } finally {
      await asOwner(`drop role ${role}`);
    }
  });

  it("refuses a role name or password it cannot use safely", async () => {
    await expect(
      ensureAppRole(owner.db, { role: 'x"; drop', password: "a-password-0123456789" }),
    ).rejects.toThrow(/expected lower-case letters/);
    await expect(ensureAppRole(owner.db, { role: "ok_name", password: "short" })).rejects.toThrow(
      /16 to 200 printable ASCII/,
    );
  });
});

async function optionFor(agent: Agent, name: string): Promise<string> {
  const html = await (await agent.get("/transactions/new?kind=expense")).text();
  const m = new RegExp(`<option value="(\\d+)"[^>]*>${name}</option>`).exec(html);
  if (!m?.[1]) throw new Error(`no ${name} category on the form`);
  return m[1];
}
