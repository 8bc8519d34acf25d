import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderNginxSite, renderOriginVerifyScript } from "../../../instance/index.ts";
import { findTool, run } from "./tools.ts";

/**
 * The rendered site in `dir` (created), with its origin include written by the rendered script
 * from `originSecret`, as the secrets unit writes it; the access log is `dir/access.log`.
 * Returns the site file.
 */
export function writeSite(
  dir: string,
  options: { listen: string[]; upstreamPort: number; originSecret: string },
): string {
  const include = join(dir, "origin-verify.conf");
  const siteFile = join(dir, "expense-tracker.conf");
  mkdirSync(dir);
  writeFileSync(join(dir, "secret"), options.originSecret);
  writeFileSync(join(dir, "origin-verify"), renderOriginVerifyScript());
  const written = run("sh", [join(dir, "origin-verify"), join(dir, "secret"), include]);
  if (written.stderr !== "" || written.status !== 0) {
    throw new Error(`the origin-verify script failed: ${written.stderr}`);
  }
  writeFileSync(
    siteFile,
    renderNginxSite({
      listen: options.listen,
      upstreamPort: options.upstreamPort,
      originVerifyInclude: include,
      accessLog: join(dir, "access.log"),
    }),
  );
  return siteFile;
}

/**
 * A minimal nginx.conf around a site file, as Ubuntu's nginx.conf includes it inside `http {}`,
 * with the pid, logs and temp files in `dir` so nothing outside it is touched.
 */
export function writeNginxConf(dir: string, siteFile: string): string {
  for (const temp of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) {
    mkdirSync(join(dir, temp), { recursive: true });
  }
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${siteFile};
}
`,
  );
  return conf;
}

export function nginxBinary(): string {
  const found = findTool("nginx");
  if (!found) throw new Error("nginx is not installed");
  return found;
}

export interface RunningNginx {
  stop(): Promise<void>;
  errorLog(): string;
}

/** Runs nginx in the foreground on `conf`; resolves once `port` on 127.0.0.1 accepts connections. */
export async function startNginx(dir: string, conf: string, port: number): Promise<RunningNginx> {
  const child: ChildProcess = spawn(
    nginxBinary(),
    ["-p", dir, "-c", conf, "-e", join(dir, "error.log"), "-g", "daemon off;"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, "exit");
  const errorLog = () => {
    try {
      return readFileSync(join(dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}\n${errorLog()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    errorLog,
    async stop() {
      if (child.exitCode !== null) return;
      // SIGQUIT: graceful shutdown of the master and its worker.
      child.kill("SIGQUIT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
