import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  PATHS,
  renderNginxSite,
  renderOriginVerifyPlaceholder,
  renderOriginVerifyScript,
} from "../../instance/index.ts";
import { nginxBinary, writeNginxConf } from "./support/nginx.ts";
import { requireTool, run } from "./support/tools.ts";

const hasNginx = requireTool("nginx", "nginx");
const workDir = mkdtempSync(join(tmpdir(), "et-nginx-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes the site with the include and access log moved into a fresh folder; returns nginx -t. */
function nginxTest(name: string, include: string, listen?: string[]) {
  const dir = join(workDir, name);
  const includeFile = join(dir, "origin-verify.conf");
  const siteFile = join(dir, "site.conf");
  const conf = writeNginxConf(dir, siteFile);
  writeFileSync(includeFile, include);
  writeFileSync(
    siteFile,
    renderNginxSite({
      originVerifyInclude: includeFile,
      accessLog: join(dir, "access.log"),
      ...(listen ? { listen } : {}),
    }),
  );
  return run(nginxBinary(), ["-t", "-p", dir, "-c", conf, "-e", join(dir, "error.log")]);
}

/** Runs the rendered origin-verify script on a secret; returns its result and the include. */
function originVerify(name: string, secret: string) {
  const dir = mkdtempSync(join(workDir, `${name}-`));
  const script = join(dir, "expense-tracker-origin-verify");
  writeFileSync(script, renderOriginVerifyScript());
  writeFileSync(join(dir, "secret"), secret);
  const include = join(dir, "origin-verify.conf");
  const r = run("sh", [script, join(dir, "secret"), include]);
  const written = existsSync(include);
  return {
    ...r,
    include: written ? readFileSync(include, "utf8") : undefined,
    mode: written ? statSync(include).mode & 0o777 : undefined,
    leftovers: readdirSync(dir).filter((f) => f.endsWith(".partial")),
  };
}

describe.runIf(hasNginx)("the nginx site, checked by nginx -t", () => {
  it("is valid as installed: port 80 on IPv4 and IPv6, refusing everything until the secret is in", () => {
    const r = nginxTest("placeholder", renderOriginVerifyPlaceholder());
    expect(r.stderr).toContain("syntax is ok");
    expect(r.stderr).toContain("test is successful");
    expect(r.status).toBe(0);
  });

  it("is valid with the include the secrets unit writes", () => {
    const written = originVerify("valid", "Zm9vYmFyYmF6cXV4LTEyMzQ1Njc4OTA");
    expect(written.status).toBe(0);
    const r = nginxTest("with-secret", written.include ?? "", ["127.0.0.1:8080"]);
    expect(r.stderr).toContain("test is successful");
    expect(r.status).toBe(0);
  });
});

describe("renderNginxSite", () => {
  const site = renderNginxSite();

  it("proxies to the service on 127.0.0.1:3000 with the forwarded headers", () => {
    expect(site).toContain("server 127.0.0.1:3000;");
    expect(site).toContain("proxy_pass http://expense_tracker;");
    expect(site).toContain("proxy_set_header Host $host;");
    expect(site).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    expect(site).toMatch(
      /map \$http_cloudfront_forwarded_proto \$expense_tracker_proto \{\s+default http;/,
    );
    expect(site).toContain("proxy_set_header X-Forwarded-Proto $expense_tracker_proto;");
    expect(site).toContain('proxy_set_header X-Origin-Verify "";');
  });

  it("limits bodies to 1 MB, compresses text, hides the version and logs JSON", () => {
    expect(site).toContain("client_max_body_size 1m;");
    expect(site).toMatch(/gzip on;[\s\S]*gzip_types text\/plain text\/css/);
    expect(site).toContain("server_tokens off;");
    expect(site).toContain(
      "access_log /var/log/nginx/expense-tracker.access.log expense_tracker_json if=$expense_tracker_loggable;",
    );
    expect(site).toContain(`include ${PATHS.originVerifyInclude};`);
    expect(site).toContain("listen 80 default_server;");
    expect(site).toContain("listen [::]:80 default_server;");
  });

  it("refuses paths and ports that are not plain", () => {
    expect(() => renderNginxSite({ accessLog: "/tmp/x; evil" })).toThrow(/not a plain address/);
    expect(() => renderNginxSite({ upstreamPort: 0 })).toThrow(/upstreamPort=0/);
  });
});

describe("the origin-verify script", () => {
  it("writes a 403 rule for requests without the secret, readable by root only", () => {
    const r = originVerify("good", "abcDEF123456._~+/=-xyz");
    expect(r.status).toBe(0);
    expect(r.include).toContain('if ($http_x_origin_verify != "abcDEF123456._~+/=-xyz") {');
    expect(r.include).toContain("return 403;");
    expect(r.mode).toBe(0o640);
  });

  for (const [why, secret] of [
    ["a quote", 'abcdefghijklmnop"; return 200; #'],
    ["a dollar sign", "abcdefghijklmnop$host"],
    ["a space", "abcdefgh ijklmnop"],
    ["a newline", "abcdefghijklmnop\nreturn 200;"],
    ["too few characters", "short"],
  ] as const) {
    it(`refuses a secret with ${why} and writes nothing`, () => {
      const r = originVerify("bad", secret);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/origin secret/);
      expect(r.include).toBeUndefined();
      expect(r.leftovers).toEqual([]);
    });
  }
});
