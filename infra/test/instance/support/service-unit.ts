// Reads the rendered unit and environment file the way systemd does (for the subset the
// renderers emit), so a test can start the artifact with exactly the command and environment
// the instance gives it.
import { spawnSync } from "node:child_process";
import { request } from "node:http";

/** `Key=value` lines of a unit's [Service] section, in order, repeated keys kept. */
export function serviceDirectives(unit: string): [string, string][] {
  const section = unit.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? "";
  return section
    .split("\n")
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1)];
    });
}

/**
 * An EnvironmentFile=: `KEY=value` or `KEY="value"` lines, `#` comments. The renderer refuses
 * values with quotes, backslashes, `$` or newlines, where systemd's parser would do more.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const m = /^([A-Z_][A-Z0-9_]*)=(?:"([^"\\$]*)"|([^"\\$]*))$/.exec(line);
    if (!m?.[1]) throw new Error(`env file: cannot read ${JSON.stringify(line)}`);
    env[m[1]] = (m[2] ?? m[3] ?? "").trim();
  }
  return env;
}

/** `Environment=KEY=value` with `%d` (the credentials directory) expanded, as systemd does. */
export function unitEnvironment(unit: string, credentialsDir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of serviceDirectives(unit)) {
    if (key !== "Environment") continue;
    const at = value.indexOf("=");
    const expanded = value.slice(at + 1).replaceAll("%d", credentialsDir);
    if (expanded.includes("%")) throw new Error(`unexpanded specifier in ${value}`);
    env[value.slice(0, at)] = expanded;
  }
  return env;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP/1.1 request to 127.0.0.1:port with exactly these headers (Host included), answered
 * within `timeoutMs` (default 10 s).
 */
export function http(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  timeoutMs = 10_000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path, headers, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs / 1000} s`)),
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The Set-Cookie header for `name`, attributes included. */
export function setCookie(answer: HttpAnswer, name: string): string | undefined {
  const all = answer.headers["set-cookie"] ?? [];
  return (Array.isArray(all) ? all : [all]).find((c) => c.startsWith(`${name}=`));
}

/** `name=value` of a Set-Cookie header, for a Cookie request header. */
export const cookiePair = (header: string | undefined) => header?.split(";")[0] ?? "";

/** PATH as systemd gives it to every service. */
export const SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Runs the rendered migration unit's ExecStart= with its EnvironmentFile=, as systemd would, but
 * with the local artifact, credentials folder and database: `ownerUrl` replaces the RDS URL, and
 * the master password command is replaced (trust auth never asks for it).
 */
export function runMigrateUnit(options: {
  unit: string;
  envFile: string;
  nodeAndArtifact: [rendered: string, local: string][];
  secretsDir: [rendered: string, local: string];
  ownerUrl: string;
  cwd: string;
}): { status: number | null; output: string; argv: string[]; env: Record<string, string> } {
  const line = new Map(serviceDirectives(options.unit)).get("ExecStart") ?? "";
  let argv = line.replace(`${options.secretsDir[0]}/`, `${options.secretsDir[1]}/`).split(" ");
  const rendered = [...argv];
  for (const [from, to] of options.nodeAndArtifact) argv = argv.map((a) => (a === from ? to : a));
  const env = parseEnvFile(options.envFile);
  const local: Record<string, string> = { PATH: SYSTEMD_PATH, ...env };
  delete local.DATABASE_CA_FILE;
  local.DATABASE_URL = options.ownerUrl;
  local.DATABASE_PASSWORD_COMMAND = "/bin/echo not-the-master-password";
  const [program = "", ...args] = argv;
  const r = spawnSync(program, args, {
    cwd: options.cwd,
    encoding: "utf8",
    timeout: 60_000,
    env: local,
  });
  return { status: r.status, output: r.stdout + r.stderr, argv: rendered, env };
}
