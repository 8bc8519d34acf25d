// `npm run bench:import [-- --rows N] [--url URL]`: the web import's figure. Starts the built
// service on a fresh PostgreSQL database, uploads an N-row statement (semicolons, decimal commas,
// DD.MM.YYYY) through /imports/upload as a browser does, loads the preview, confirms, and waits
// for the background job to finish; prints each step's time and the server's peak RSS.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createUser } from "../service/src/data/users.ts";
import { openDatabase } from "../service/src/db/client.ts";
import { migrate } from "../service/src/db/migrate.ts";
import { BENCH_PASSWORD, createThrowawayDatabase } from "./bench/database.ts";
import { Client, startService } from "./bench/http.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "50000" },
    url: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const rows = Number(values.rows);
if (!Number.isInteger(rows) || rows < 1 || rows > 200_000) {
  console.error("--rows takes a whole number from 1 to 200000");
  process.exit(2);
}

/** A German bank's export: semicolons, decimal commas, thousands dots, DD.MM.YYYY. */
function statement(n: number): string {
  const lines = ["Buchungstag;Empfänger;Verwendungszweck;Betrag;Kategorie"];
  for (let i = 0; i < n; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, "0");
    const cents = String(i % 100).padStart(2, "0");
    const income = i % 20 === 0;
    const amount = income
      ? `2.${String(i % 1000).padStart(3, "0")},${cents}`
      : `-${(i % 300) + 1},${cents}`;
    lines.push(
      `${day}.${month}.2024;Händler ${i % 500};Buchung ${i};${amount};${income ? "Salary" : "Food"}`,
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

const mib = (bytes: number | undefined) => (bytes ? `${Math.round(bytes / 2 ** 20)} MiB` : "n/a");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const database = await createThrowawayDatabase(values.url);
const dir = mkdtempSync(join(tmpdir(), "et-bench-import-"));
let stop = async () => {};
try {
  const db = await openDatabase({ url: database.url });
  await migrate(db.db);
  const email = "importer@bench.test";
  await createUser(db.db, { email, password: BENCH_PASSWORD });
  await db.close();

  const service = await startService(database.url, dir);
  stop = service.stop;
  const client = new Client(service.origin);
  await client.signIn(email, BENCH_PASSWORD);
  const file = statement(rows);
  console.log(
    `${rows} rows, ${(Buffer.byteLength(file) / 2 ** 20).toFixed(1)} MiB; server rss at start ${mib(service.rss())}`,
  );

  const t0 = performance.now();
  const form = new FormData();
  form.set("_csrf", await client.csrfToken("/imports/new"));
  form.set("file", new File([file], "bench.csv", { type: "text/csv" }));
  const uploaded = await client.request("/imports/upload", { method: "POST", body: form });
  await uploaded.arrayBuffer();
  const at = uploaded.headers.get("location") ?? "";
  if (uploaded.status !== 303 || !/^\/imports\/\d+$/.test(at))
    throw new Error(`the upload answered ${uploaded.status} (${at})`);
  const t1 = performance.now();
  const preview = await (await client.request(at)).text();
  const summary = /data-import-summary[^>]*>([^<]*)</.exec(preview)?.[1] ?? "";
  const t2 = performance.now();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(preview)?.[1] ?? "";
  const confirmed = await client.request(`${at}/confirm`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: csrf }),
  });
  await confirmed.arrayBuffer();
  if (confirmed.status !== 303) throw new Error(`the confirm answered ${confirmed.status}`);
  const t3 = performance.now();
  let result = "";
  for (;;) {
    const page = await (await client.request(at)).text();
    const done = /data-import-status="(done|failed)"[^>]*>([^<]*)/.exec(page);
    if (done) {
      if (done[1] === "failed") throw new Error(`the import failed: ${done[2]}`);
      result = done[2]?.trim() ?? "";
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const t4 = performance.now();
  console.log(`preview: ${summary.trim()}`);
  console.log(`result: ${result}`);
  console.log(
    [
      `upload (staged) ${seconds(t1 - t0)}`,
      `preview ${seconds(t2 - t1)}`,
      `confirm answered ${seconds(t3 - t2)}`,
      `job done ${seconds(t4 - t3)} later`,
      `total ${seconds(t4 - t0)}`,
    ].join(", "),
  );
  console.log(`server peak rss ${mib(service.peakRss())}`);
} finally {
  await stop();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
}
