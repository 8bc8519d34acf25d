// Reads the rendered unit and environment file the way systemd does (for the subset the
// renderers emit), so a test can start the artifact with exactly the command and environment
// the instance gives it.
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

/** One HTTP/1.1 request to 127.0.0.1:port with exactly these headers (Host included). */
export function http(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, method, path, headers, timeout: 10_000 },
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
    req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
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
