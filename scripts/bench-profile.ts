// `npm run bench:profile -- [--path /transactions] [--rows 10000] [--seconds 10] [--connections 32]`:
// where one page's time goes. Seeds a throwaway database as `npm run bench` does, starts the
// service from its source (so that functions keep their names and packages their paths) with the
// artifact's V8 flags and `--cpu-prof`, drives the page with wrk (signed in as the heavy user) and prints
// the service's CPU time per request (from /proc) and the functions and packages the profile
// found busiest while the load ran. The .cpuprofile is kept for Chrome's DevTools.

import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SERVICE_NODE_FLAGS } from "../infra/instance/node-runtime.ts";
import { openDatabase } from "../service/src/db/client.ts";
import { migrate } from "../service/src/db/migrate.ts";
import {
  BENCH_PASSWORD,
  createBenchUsers,
  createThrowawayDatabase,
  loadTransactions,
} from "./bench/database.ts";
import { Client, startNodeServer } from "./bench/http.ts";
import { load } from "./bench/load.ts";
import { REPO_ROOT } from "./lib/build-service.ts";

const { values } = parseArgs({
  options: {
    path: { type: "string", default: "/transactions" },
    rows: { type: "string", default: "10000" },
    seconds: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    url: { type: "string", default: "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const rows = Number(values.rows);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
if (!Number.isSafeInteger(rows) || rows < 1000 || rows % 10 !== 0)
  throw new Error(`--rows must be a multiple of 10, at least 1000 (got ${values.rows})`);
if (!Number.isSafeInteger(seconds) || seconds < 1)
  throw new Error(`--seconds must be a whole number, at least 1 (got ${values.seconds})`);
if (!Number.isSafeInteger(connections) || connections < 1)
  throw new Error(`--connections must be a whole number, at least 1 (got ${values.connections})`);

/** User plus system CPU of a process so far, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Samples per function and per package, over the profile's last `windowS` seconds. */
function summarise(file: string, windowS: number) {
  const p = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
    startTime: number;
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  let t = p.startTime;
  const times = p.timeDeltas.map((d) => (t += d));
  const end = times.at(-1) ?? 0;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    if ((times[i] ?? 0) < end - windowS * 1e6) return;
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === "(idle)") return;
    busy++;
    const url = frame.url.replace(/^.*node_modules\//, "").replace(`file://${REPO_ROOT}/`, "");
    const name = `${frame.functionName || "(anonymous)"} ${url}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + 1);
    const pkg = url.startsWith("service/")
      ? "service"
      : url.startsWith("node:")
        ? "node (built-in modules)"
        : (/^(@[^/]+\/[^/]+|[^/:]+)\//.exec(url)?.[1] ?? (frame.functionName || "(native)"));
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1);
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((100 * v) / busy).toFixed(1).padStart(5)}%  ${k}`)
      .join("\n");
  return { busy, functions: top(byFunction, 25), packages: top(byPackage, 12) };
}

const throwaway = await createThrowawayDatabase(values.url);
const dir = mkdtempSync(join(tmpdir(), "et-profile-"));
try {
  const database = await openDatabase({ url: throwaway.url, maxConnections: 4 });
  await migrate(database.db);
  const users = await createBenchUsers(database.db, rows);
  await loadTransactions(database.db, users);
  await database.close();
  const service = await startNodeServer(
    [
      ...SERVICE_NODE_FLAGS,
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      "--import",
      "tsx",
      join(REPO_ROOT, "service/src/main.ts"),
    ],
    {
      DATABASE_URL: throwaway.url,
      DATA_DIR: dir,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      LOG_LEVEL: "warn",
    },
    REPO_ROOT,
  );
  try {
    const client = new Client(service.origin);
    await client.signIn("heavy@bench.test", BENCH_PASSWORD);
    const request = {
      method: "GET" as const,
      path: values.path,
      headers: { cookie: client.cookieHeader() },
    };
    await load(service.origin, request, connections, 2, service.pid);
    const before = cpuSeconds(service.pid);
    const r = await load(service.origin, request, connections, seconds, service.pid);
    const cpu = cpuSeconds(service.pid) - before;
    console.log(
      `${values.path} at ${connections} connections, ${rows.toLocaleString("en")} rows: ${r.rps.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(0)} ms, statuses ${JSON.stringify(r.statuses)}`,
    );
    console.log(`service CPU ${((1000 * cpu) / r.requests).toFixed(2)} ms per request`);
  } finally {
    await service.stop();
  }
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("the service wrote no profile");
  const s = summarise(join(dir, file), seconds);
  console.log(
    `\nbusiest functions (share of ${s.busy} busy samples while the load ran):\n${s.functions}`,
  );
  console.log(`\nby package:\n${s.packages}`);
  console.log(`\nprofile: ${join(dir, file)}`);
} finally {
  await throwaway.drop();
}
