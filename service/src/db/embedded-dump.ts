// The embedded database's whole-instance dump (PostgreSQL's pg_dump, built for PGlite), taken by
// the process that holds the database. pg_dump talks to PGlite over its one connection: it empties
// the search path and reads inside a transaction of its own, so nothing else may query meanwhile.
// The gate lets queries through while no dump runs, and a dump through once the queries in flight
// are done; queries that come during a dump wait for it.
import type { PGlite } from "@electric-sql/pglite";
import { lockEmbeddedDatabase } from "./embedded-lock.ts";

export class DumpGate {
  #inFlight = 0;
  #drained: (() => void)[] = [];
  #dump: Promise<unknown> | undefined;

  async enter(): Promise<void> {
    while (this.#dump) await this.#dump.catch(() => {});
    this.#inFlight++;
  }

  leave(): void {
    this.#inFlight--;
    if (this.#inFlight === 0) for (const resume of this.#drained.splice(0)) resume();
  }

  /** Runs `work` alone: after the queries in flight, before any that come meanwhile. */
  async alone<T>(work: () => Promise<T>): Promise<T> {
    while (this.#dump) await this.#dump.catch(() => {});
    const run = (async () => {
      while (this.#inFlight > 0) await new Promise<void>((r) => this.#drained.push(r));
      return work();
    })();
    this.#dump = run;
    try {
      return await run;
    } finally {
      this.#dump = undefined;
    }
  }
}

/** What Drizzle calls on the client (query, transaction), each through the gate. */
export function gatedClient(client: PGlite, gate: DumpGate): PGlite {
  const through =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await gate.enter();
      try {
        return await call(...args);
      } finally {
        gate.leave();
      }
    };
  return {
    query: through(client.query.bind(client)),
    exec: through(client.exec.bind(client)),
    transaction: through(client.transaction.bind(client)),
  } as unknown as PGlite;
}

/** The whole database as a plain SQL file, loadable with psql or by a fresh PGlite. */
export async function dumpEmbedded(client: PGlite, gate: DumpGate): Promise<Blob> {
  // Loaded on first use: several MB of WebAssembly that the server needs only for this.
  const { pgDump } = await import("@electric-sql/pglite-tools/pg_dump");
  return gate.alone(async () => {
    try {
      return await pgDump({ pg: client, args: ["--no-owner"] });
    } finally {
      await resetSession(client);
    }
  });
}

/**
 * pg_dump leaves its read-only transaction open and its settings in force (it expects to
 * disconnect); on PGlite's one connection they would hold every later query. The search path
 * pgDump restores itself.
 */
async function resetSession(client: PGlite): Promise<void> {
  const { rows } = await client.query<{ search_path: string }>("show search_path");
  const searchPath = rows[0]?.search_path ?? '"$user", public';
  await client.exec("rollback");
  await client.exec("reset all");
  await client.query("select pg_catalog.set_config('search_path', $1, false)", [searchPath]);
}

/**
 * Loads a dump into the embedded database under `dataDir`, which must hold no tables yet (a new
 * folder): the other way to restore a whole installation, besides psql into PostgreSQL.
 */
export async function loadEmbeddedDump(dataDir: string, dump: string): Promise<void> {
  const lock = lockEmbeddedDatabase(dataDir, { command: "npm run db:load-dump" });
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
    const client = new PGlite({ dataDir, extensions: { pg_trgm } });
    try {
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
      );
      if ((rows[0]?.n ?? 0) > 0) {
        throw new Error(
          `the embedded database in ${dataDir} already holds tables: load a dump only into a new DATA_DIR`,
        );
      }
      await client.exec(`begin;\n${dump}\ncommit;`);
    } finally {
      await client.close();
    }
  } finally {
    lock.release();
  }
}
