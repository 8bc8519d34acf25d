// The restricted role the web service connects as. The migrating user (the tables' owner) creates
// or updates it after every migration: it may read and write the rows of this database's tables
// and use their sequences, and nothing else (no DDL, no other database, no superuser powers).
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "./client.ts";

/** Attributes the role must never have; each is also refused when found on an existing role. */
const FORBIDDEN_ATTRIBUTES = [
  "rolsuper",
  "rolcreatedb",
  "rolcreaterole",
  "rolreplication",
  "rolbypassrls",
] as const;

/** The schema the migrations create their tables in. */
const SCHEMA = "public";
/** The migrations' own bookkeeping: the app may read it (readiness), never write it. */
const MIGRATIONS_TABLE = "schema_migrations";

export interface AppRoleOptions {
  /** Role name: a PostgreSQL identifier of letters, digits and `_` (at most 63). */
  role: string;
  /** Its password: 16 to 200 printable ASCII characters. Stored as a SCRAM-SHA-256 verifier. */
  password: string;
}

/** What the function did, for one log line (never the password). */
export interface AppRoleResult {
  role: string;
  created: boolean;
  /** Other databases whose CONNECT and TEMPORARY were taken from PUBLIC. */
  closedDatabases: string[];
}

type Runner = Pick<Db, "execute">;

/** Rows of a query; both drivers answer with `{ rows }`. */
async function rowsOf<T>(db: Runner, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Runs a statement whose identifiers were quoted here (DDL takes no parameters). */
const run = (db: Runner, text: string) => db.execute(sql.raw(text));

/** Throws naming the option when the role name or password cannot be used. */
export function checkAppRoleOptions(options: AppRoleOptions): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(options.role)) {
    throw new Error(
      `app role ${JSON.stringify(options.role)}: expected lower-case letters, digits and _ (at most 63)`,
    );
  }
  const { length } = options.password;
  if (length < 16 || length > 200 || !/^[\x21-\x7e]+$/.test(options.password)) {
    // ASCII only: PostgreSQL normalises other passwords (SASLprep) before hashing them.
    throw new Error(
      `app role ${options.role}: the password must be 16 to 200 printable ASCII characters without spaces (it has ${length})`,
    );
  }
}

/**
 * Creates the role, or updates the password and attributes of an existing one, and grants it
 * exactly what the app needs on the database `db` is connected to. Runs as the owner of the
 * tables (the user that applies the migrations); safe to run again at every deploy.
 */
export async function ensureAppRole(db: Db, options: AppRoleOptions): Promise<AppRoleResult> {
  checkAppRoleOptions(options);
  const role = quoteIdent(options.role);
  const [who] = await rowsOf<{ db: string; me: string }>(
    db,
    sql`select current_database() as db, current_user as me`,
  );
  if (!who) throw new Error("app role: the database did not say who is connected");
  const database = quoteIdent(who.db);
  const owner = quoteIdent(who.me);
  // Hashed here: the server, and its statement log, only ever see the verifier.
  const verifier = quoteLiteral(scramVerifier(options.password));

  const created = await db.transaction(async (tx) => {
    const existing = await rowsOf(tx, sql`select 1 from pg_roles where rolname = ${options.role}`);
    if (existing.length === 0) {
      await run(
        tx,
        `create role ${role} login nosuperuser nocreatedb nocreaterole noinherit noreplication nobypassrls password ${verifier}`,
      );
    } else {
      // SUPERUSER, REPLICATION and BYPASSRLS may only be named by a true superuser (RDS's master
      // user is not one), so they are checked below instead of being set.
      await run(
        tx,
        `alter role ${role} login nocreatedb nocreaterole noinherit password ${verifier}`,
      );
    }
    await checkAttributes(tx, options.role);
    const memberships = await rowsOf<{ rolname: string }>(
      tx,
      sql`select r.rolname from pg_auth_members m
          join pg_roles r on r.oid = m.roleid join pg_roles u on u.oid = m.member
          where u.rolname = ${options.role}`,
    );
    for (const { rolname } of memberships)
      await run(tx, `revoke ${quoteIdent(rolname)} from ${role}`);

    // This database: nobody but the owner and the app role may connect or make temporary tables.
    await run(tx, `revoke all on database ${database} from public`);
    await run(tx, `revoke all on database ${database} from ${role}`);
    await run(tx, `grant connect on database ${database} to ${role}`);

    await run(tx, `revoke create on schema ${SCHEMA} from public`);
    await run(tx, `revoke all on schema ${SCHEMA} from ${role}`);
    await run(tx, `grant usage on schema ${SCHEMA} to ${role}`);
    await run(tx, `revoke all on all tables in schema ${SCHEMA} from ${role}`);
    await run(
      tx,
      `grant select, insert, update, delete on all tables in schema ${SCHEMA} to ${role}`,
    );
    const [migrations] = await rowsOf<{ t: string | null }>(
      tx,
      sql`select to_regclass(${`${SCHEMA}.${MIGRATIONS_TABLE}`})::text as t`,
    );
    if (migrations?.t) {
      await run(tx, `revoke insert, update, delete on ${SCHEMA}.${MIGRATIONS_TABLE} from ${role}`);
    }
    await run(tx, `revoke all on all sequences in schema ${SCHEMA} from ${role}`);
    await run(tx, `grant usage, select on all sequences in schema ${SCHEMA} to ${role}`);
    // Tables and sequences later migrations create are the app's at once, even before the next
    // run of this function.
    await run(
      tx,
      `alter default privileges for role ${owner} in schema ${SCHEMA} grant select, insert, update, delete on tables to ${role}`,
    );
    await run(
      tx,
      `alter default privileges for role ${owner} in schema ${SCHEMA} grant usage, select on sequences to ${role}`,
    );
    return existing.length === 0;
  });
  const closedDatabases = await closeOtherDatabases(db, who.db);
  return { role: options.role, created, closedDatabases };
}

async function checkAttributes(db: Runner, role: string): Promise<void> {
  const [attributes] = await rowsOf<Record<string, boolean>>(
    db,
    sql`select ${sql.raw(FORBIDDEN_ATTRIBUTES.join(", "))} from pg_roles where rolname = ${role}`,
  );
  const held = FORBIDDEN_ATTRIBUTES.filter((a) => attributes?.[a]);
  if (held.length > 0) {
    throw new Error(
      `app role ${role} has ${held.map((a) => a.slice(3).toUpperCase()).join(", ")}: remove ${held.length > 1 ? "them" : "it"} as a superuser (ALTER ROLE ${role} NO...) or choose another role name`,
    );
  }
}

/**
 * Every role may connect to every database through PUBLIC's default CONNECT. On the other
 * databases this user owns (on RDS: `postgres`), PUBLIC loses CONNECT and TEMPORARY; databases it
 * does not own are left as they are. Each database is closed in its own statement, retried when a
 * concurrent GRANT on (or DROP of) the same database wins the race for its catalog row.
 */
async function closeOtherDatabases(db: Runner, current: string): Promise<string[]> {
  const open = await rowsOf<{ datname: string }>(
    db,
    sql`select datname from pg_database
        where datallowconn and not datistemplate and datname <> ${current}
          and pg_has_role(current_user, datdba, 'USAGE')
          and (datacl is null or exists (
            select 1 from aclexplode(datacl) a
            where a.grantee = 0 and a.privilege_type in ('CONNECT', 'TEMPORARY')))
        order by datname`,
  );
  const closed: string[] = [];
  for (const { datname } of open) {
    for (let attempt = 1; ; attempt++) {
      try {
        await run(db, `revoke connect, temporary on database ${quoteIdent(datname)} from public`);
        closed.push(datname);
        break;
      } catch (err) {
        // Drizzle wraps the driver's error: the PostgreSQL code and message are on its cause.
        const cause = ((err as { cause?: unknown }).cause ?? err) as {
          code?: string;
          message?: string;
        };
        // Dropped meanwhile (another test's throwaway database, say): nothing left to close.
        if (cause.code === "3D000" || /tuple concurrently deleted/.test(cause.message ?? "")) break;
        // A concurrent GRANT on the same database won the race for its catalog row.
        if (!/tuple concurrently updated/.test(cause.message ?? "") || attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 20 * attempt));
      }
    }
  }
  return closed;
}

/** `"name"`, with embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'` for SQL with standard_conforming_strings (the default since 9.1); no backslashes. */
function quoteLiteral(text: string): string {
  if (text.includes("\\")) throw new Error("literal with a backslash");
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password` (RFC 5802, 4096 iterations),
 * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` in base64.
 */
export function scramVerifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = 4096,
): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}
