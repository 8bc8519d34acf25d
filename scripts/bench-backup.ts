// Times a backup and a restore of one account with many transactions, on a throwaway PostgreSQL
// database and on an in-memory embedded one:
//   npm run bench:backup -- [--rows 100000] [--no-embedded]
// Each phase reports its wall time and the process's peak resident memory during it.
import { once } from "node:events";
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { readBackup } from "../service/src/backup/check.ts";
import { MAX_FILE_BYTES } from "../service/src/backup/format.ts";
import { restoreBackup } from "../service/src/backup/restore.ts";
import { writeBackup } from "../service/src/backup/write.ts";
import { listCategories } from "../service/src/data/categories.ts";
import { totalTransactions } from "../service/src/data/transactions.ts";
import { createUser } from "../service/src/data/users.ts";
import { type Database, openDatabase } from "../service/src/db/client.ts";
import { migrate } from "../service/src/db/migrate.ts";
import { createThrowawayDatabase } from "./bench/database.ts";
import { PeakRss } from "./bench/measure.ts";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    "no-embedded": { type: "boolean", default: false },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1) {
  console.error("--rows takes a whole number of transactions, such as 100000");
  process.exit(2);
}

interface Phase {
  name: string;
  ms: number;
  peakMiB: number;
}

async function phase<T>(phases: Phase[], name: string, work: () => Promise<T>): Promise<T> {
  const rss = new PeakRss();
  const started = performance.now();
  const result = await work();
  phases.push({ name, ms: performance.now() - started, peakMiB: rss.stop() / 1024 / 1024 });
  return result;
}

/** One account with `rows` transactions over ten years, some with notes and a payment method. */
async function seed(database: Database): Promise<number> {
  const user = await createUser(database.db, {
    email: "bench-backup@example.test",
    password: "bench-password-1",
  });
  const cats = await listCategories(database.db, user.id);
  const ids = (kind: string) => `{${cats.filter((c) => c.kind === kind).map((c) => c.id)}}`;
  await database.db.execute(sql`
    insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on, notes, payment_method)
    select ${user.id}, 'expense', 'Shop ' || (g % 997) || ' «café»', 1 + (g::bigint * 2654435761) % 2500000,
      (${ids("expense")}::int[])[1 + g % cardinality(${ids("expense")}::int[])],
      date '2016-01-01' + (g % 3650),
      case when g % 5 = 0 then 'note ' || g || E'\nsecond line' end,
      case when g % 3 = 0 then 'card' end
    from generate_series(1, ${Math.ceil(rows * 0.95)}) g`);
  await database.db.execute(sql`
    insert into transactions (user_id, kind, title, amount_cents, category_id, occurred_on)
    select ${user.id}, 'income', 'Salary', 300000 + g, (${ids("income")}::int[])[1], date '2016-01-25' + (g % 3650)
    from generate_series(1, ${rows - Math.ceil(rows * 0.95)}) g`);
  await database.db.execute(sql`
    insert into budgets (user_id, category_id, month, amount_cents)
    select ${user.id}, c, date '2020-01-01', 50000 from unnest(${ids("expense")}::int[]) c`);
  return user.id;
}

async function run(label: string, database: Database, dir: string): Promise<Phase[]> {
  const phases: Phase[] = [];
  await migrate(database.db);
  const source = await phase(phases, "seed (not part of the figure)", () => seed(database));
  const file = join(dir, `${label}.json`);
  await phase(phases, "backup to a file", async () => {
    const out = createWriteStream(file);
    await writeBackup(database.db, source, async (chunk) => {
      if (!out.write(chunk)) await once(out, "drain");
    });
    out.end();
    await once(out, "finish");
  });
  const target = await createUser(database.db, {
    email: "restored@example.test",
    password: "bench-password-1",
  });
  const plan = await phase(phases, "restore: read and check the file", async () =>
    readBackup(readFileSync(file), MAX_FILE_BYTES),
  );
  await phase(phases, "restore: write (one transaction)", () =>
    restoreBackup(database.db, target.id, plan),
  );
  const dump = database.dump;
  if (dump) {
    const sqlText = await phase(phases, "whole-database dump (pg_dump)", async () =>
      (await dump()).text(),
    );
    console.log(`${label}: whole-database dump ${(sqlText.length / 1024 / 1024).toFixed(1)} MB`);
  }
  const [a, b] = [
    await totalTransactions(database.db, source, {}),
    await totalTransactions(database.db, target.id, {}),
  ];
  if (a.count !== rows || JSON.stringify(a, bigints) !== JSON.stringify(b, bigints)) {
    throw new Error(
      `restored totals differ: ${JSON.stringify(a, bigints)} vs ${JSON.stringify(b, bigints)}`,
    );
  }
  console.log(
    `${label}: ${rows} transactions, file ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, totals equal after restore`,
  );
  return phases;
}

const bigints = (_: string, v: unknown) => (typeof v === "bigint" ? String(v) : v);

const dir = mkdtempSync(join(tmpdir(), "et-bench-backup-"));
const results: [string, Phase[]][] = [];
try {
  const throwaway = await createThrowawayDatabase(ADMIN_URL);
  try {
    const database = await openDatabase({ url: throwaway.url, maxConnections: 1 });
    try {
      await database.db.execute(sql`set statement_timeout = 0`);
      results.push(["PostgreSQL", await run("postgres", database, dir)]);
    } finally {
      await database.close();
    }
  } finally {
    await throwaway.drop();
  }
  if (!values["no-embedded"]) {
    const database = await openDatabase({});
    try {
      results.push(["embedded", await run("embedded", database, dir)]);
    } finally {
      await database.close();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log("\n| database | phase | time | peak RSS |\n| --- | --- | --- | --- |");
for (const [label, phases] of results) {
  for (const p of phases) {
    console.log(
      `| ${label} | ${p.name} | ${(p.ms / 1000).toFixed(2)} s | ${Math.round(p.peakMiB)} MiB |`,
    );
  }
}
