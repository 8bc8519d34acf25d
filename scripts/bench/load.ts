// Load through HTTP with wrk (Debian's `wrk`): a number of connections for a number of seconds
// against one URL, with the answers' statuses counted by a Lua script, and the server's resident
// memory sampled from /proc while it runs.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Request {
  method: "GET" | "POST";
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
  /** The server's largest resident set size seen during the run, in bytes. */
  peakRssBytes: number | undefined;
}

/** A Lua string literal (the values here are ASCII). */
const lua = (s: string) => JSON.stringify(s);

function script(r: Request): string {
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
    .join("\n");
  return `wrk.method = ${lua(r.method)}
${r.body === undefined ? "" : `wrk.body = ${lua(r.body)}`}
${headers}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do counts[tostring(k)] = (counts[tostring(k)] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(counts) do table.insert(parts, string.format('"%s":%d', k, v)) end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"socketErrors":%d,"statuses":{%s}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ",")))
end
`;
}

function rssOf(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs wrk with `connections` for `seconds` against `origin` + `r.path`; `pid` is the server's. */
export async function load(
  origin: string,
  r: Request,
  connections: number,
  seconds: number,
  pid: number,
): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "et-wrk-"));
  const file = join(dir, "count.lua");
  writeFileSync(file, script(r));
  let peak = rssOf(pid);
  const sampler = setInterval(() => {
    const now = rssOf(pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  }, 100);
  try {
    const threads = String(Math.min(2, connections));
    const args = ["-t", threads, "-c", String(connections), "-d", `${seconds}s`];
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        "wrk",
        [...args, "--timeout", "5s", "-s", file, `${origin}${r.path}`],
        { timeout: (seconds + 30) * 1000 },
        (err, stdout, stderr) =>
          err ? reject(new Error(`wrk: ${stderr || err.message}`)) : resolve(stdout),
      );
    });
    const line = out.split("\n").find((l) => l.startsWith("WRK_JSON "));
    if (!line) throw new Error(`wrk printed no summary:\n${out}`);
    const s = JSON.parse(line.slice("WRK_JSON ".length)) as {
      requests: number;
      durationUs: number;
      p50Us: number;
      p99Us: number;
      socketErrors: number;
      statuses: Record<string, number>;
    };
    return {
      requests: s.requests,
      rps: s.requests / (s.durationUs / 1e6),
      p50Ms: s.p50Us / 1000,
      p99Ms: s.p99Us / 1000,
      statuses: s.statuses,
      socketErrors: s.socketErrors,
      peakRssBytes: peak,
    };
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Answers with a status of 500 or more. */
export const serverErrors = (r: LoadResult) =>
  Object.entries(r.statuses).reduce(
    (n, [status, count]) => n + (Number(status) >= 500 ? count : 0),
    0,
  );
