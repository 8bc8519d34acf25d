// The upload routes' own body limits (service/src/upload-limits.ts) in a real nginx, in front of
// a stand-in upstream that answers with the size of the body it received.
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPLOAD_LIMITS } from "../../../service/src/upload-limits.ts";
import { freePort } from "../../../service/test/support/server-process.ts";
import { renderNginxSite } from "../../instance/index.ts";
import { nginxBinary, type RunningNginx, startNginx, writeNginxConf } from "./support/nginx.ts";
import { requireTool, run } from "./support/tools.ts";

const MiB = 1024 * 1024;
const hasNginx = requireTool("nginx", "nginx");

describe("renderNginxSite's upload locations", () => {
  it("gives every route of UPLOAD_LIMITS an exact location with its size and body timeout", () => {
    const site = renderNginxSite();
    for (const [path, bytes] of Object.entries(UPLOAD_LIMITS)) {
      const block = new RegExp(`location = ${path} \\{([^}]*)\\}`).exec(site)?.[1] ?? "";
      expect(block).toContain(`client_max_body_size ${bytes / MiB}m;`);
      expect(block).toContain("client_body_timeout 60s;");
      expect(block).toContain("proxy_pass http://expense_tracker;");
      expect(block).toContain('proxy_set_header X-Origin-Verify "";');
    }
    // Everything else keeps 1 MB.
    expect(site).toMatch(/server_tokens off;[\s\S]*client_max_body_size 1m;/);
  });

  it("takes another entry without any change to the site's code, and refuses a path that is not plain", () => {
    const site = renderNginxSite({
      uploadLimits: { ...UPLOAD_LIMITS, "/settings/restore": 50 * MiB },
    });
    expect(site).toMatch(/location = \/settings\/restore \{[^}]*client_max_body_size 50m;/);
    expect(site).toContain("That file is larger than 50 MB");
    expect(() => renderNginxSite({ uploadLimits: { "/a; evil": MiB } })).toThrow(
      /not a plain path/,
    );
  });
});

describe.runIf(hasNginx)("the upload locations in a real nginx", () => {
  const dir = mkdtempSync(join(tmpdir(), "et-nginx-uploads-"));
  let upstream: Server;
  let nginx: RunningNginx;
  let port: number;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
      });
      req.on("end", () => res.end(`${req.url} ${size}`));
    });
    upstream.listen(0, "127.0.0.1");
    await once(upstream, "listening");
    port = await freePort();
    const include = join(dir, "origin-verify.conf");
    writeFileSync(include, "# test: no origin check\n");
    const site = join(dir, "site.conf");
    const limits = { ...UPLOAD_LIMITS, "/settings/restore": 50 * MiB };
    writeFileSync(
      site,
      renderNginxSite({
        listen: [`127.0.0.1:${port}`],
        upstreamPort: (upstream.address() as { port: number }).port,
        originVerifyInclude: include,
        accessLog: join(dir, "access.log"),
        uploadLimits: limits,
      }),
    );
    const conf = writeNginxConf(dir, site);
    const checked = run(nginxBinary(), ["-t", "-p", dir, "-c", conf, "-e", join(dir, "error.log")]);
    expect(checked.stderr).toContain("test is successful");
    nginx = await startNginx(dir, conf, port);
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, bytes: number) =>
    fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body: new Uint8Array(bytes) });

  it("passes a 19 MB upload to /imports/upload whole, and refuses 21 MB there with its own message", async () => {
    const ok = await post("/imports/upload", 19 * MiB);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(`/imports/upload ${19 * MiB}`);
    const big = await post("/imports/upload", 21 * MiB);
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("larger than 20 MB, the most this page accepts");
  }, 30_000);

  it("keeps 1 MB everywhere else, a query string or a longer path included", async () => {
    for (const path of ["/transactions", "/imports/upload/x", "/imports/uploads"]) {
      const res = await post(path, 2 * MiB);
      expect(res.status, path).toBe(413);
      expect(await res.text()).toContain("larger than 1 MB");
    }
    const small = await post("/transactions", 1000);
    expect(await small.text()).toBe("/transactions 1000");
  });

  it("a second entry gets its own limit", async () => {
    expect((await post("/settings/restore", 30 * MiB)).status).toBe(200);
    expect((await post("/settings/restore", 51 * MiB)).status).toBe(413);
  }, 30_000);
});
