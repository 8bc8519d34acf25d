// The ceilings the load bench compares the service with: a bare `node:http` + `pg` server, no
// framework, no templates. Run as a child process:
//   node --import tsx scripts/bench/ceiling.ts PAGES.json
// with DATABASE_URL, PORT and CEILING=C or C+ in the environment. PAGES.json lists, per path, the
// queries the service itself sent to serve it (captured in the bench): C runs the page's main
// query alone; C+ runs them all, the session look-up first and the rest at once, as the page
// does; each query prepared under the same name when the service prepares it. Both answer with
// the main query's rows: an HTML table built by string concatenation, or JSON for an API path.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import pg from "pg";

export interface Query {
  text: string;
  params: unknown[];
  /** Set when the service runs it as a named prepared statement: the ceiling does the same. */
  name?: string;
}

export interface CeilingPage {
  /** Path and query string, as requested. */
  path: string;
  /** Every query the page ran, in order: the session look-up first. */
  all: Query[];
  /** Which of them is the main query, whose rows make the page. */
  main: number;
}

const escapeHtml = (v: unknown) =>
  String(v ?? "").replace(
    /[&<>"]/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] ?? ch,
  );

function table(rows: Record<string, unknown>[]): string {
  let html = "<!doctype html><html><body><table>";
  for (const row of rows) {
    html += "<tr>";
    for (const value of Object.values(row)) html += `<td>${escapeHtml(value)}</td>`;
    html += "</tr>";
  }
  return `${html}</table></body></html>`;
}

async function main() {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error("usage: ceiling.ts PAGES.json");
  const mode = process.env.CEILING;
  if (mode !== "C" && mode !== "C+") throw new Error("CEILING must be C or C+");
  const pages = new Map(
    (JSON.parse(readFileSync(file, "utf8")) as CeilingPage[]).map((p) => [p.path, p]),
  );
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  // The service parses bigint sums as text too; keep the same types.
  const run = (q: Query) =>
    pool.query(q.name ? { name: q.name, text: q.text, values: q.params } : q.text, q.params);

  const server = createServer((req, res) => {
    if (req.url === "/readyz") {
      res.writeHead(200).end("ready");
      return;
    }
    const page = pages.get(req.url ?? "");
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    const main = page.all[page.main] as Query;
    const answer = async () => {
      if (mode === "C") return (await run(main)).rows;
      const [session, ...rest] = page.all;
      if (session) await run(session);
      const results = await Promise.all(rest.map(run));
      return results[page.main - 1]?.rows ?? [];
    };
    answer().then(
      (rows) => {
        const json = page.path.startsWith("/api/");
        const body = json ? JSON.stringify({ data: rows }) : table(rows);
        res.writeHead(200, {
          "content-type": json ? "application/json" : "text/html; charset=utf-8",
          "content-length": Buffer.byteLength(body),
        });
        res.end(body);
      },
      (err: Error) => {
        res.writeHead(500).end(err.message);
      },
    );
  });
  server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
  process.once("SIGTERM", () => {
    server.close();
    void pool.end();
  });
}

await main();
