// The rendered site in a real nginx, in front of a stand-in upstream: what its access log keeps.

import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../service/test/support/server-process.ts";
import { renderNginxSite } from "../../instance/index.ts";
import { type RunningNginx, startNginx, writeNginxConf } from "./support/nginx.ts";
import { requireTool } from "./support/tools.ts";

describe.runIf(requireTool("nginx", "nginx"))("nginx's access log", () => {
  const dir = mkdtempSync(join(tmpdir(), "et-nginx-log-"));
  const accessLog = join(dir, "access.log");
  let upstream: Server;
  let nginx: RunningNginx;
  let port: number;
  let readyStatus = 200;

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      res.statusCode = req.url === "/readyz" ? readyStatus : 200;
      res.end("ok");
    });
    upstream.listen(0, "127.0.0.1");
    await once(upstream, "listening");
    const upstreamPort = (upstream.address() as { port: number }).port;
    port = await freePort();
    const include = join(dir, "origin-verify.conf");
    // No origin rule: every request passes, as one with the right header would.
    writeFileSync(include, "# test: no origin check\n");
    const site = join(dir, "site.conf");
    writeFileSync(
      site,
      renderNginxSite({
        listen: [`127.0.0.1:${port}`],
        upstreamPort,
        originVerifyInclude: include,
        accessLog,
      }),
    );
    nginx = await startNginx(dir, writeNginxConf(dir, site), port);
  }, 30_000);

  afterAll(async () => {
    await nginx?.stop();
    upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const logged = () =>
    readFileSync(accessLog, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { uri: string; status: number });

  it("leaves out the health checkers' successful /readyz, keeps their failures and every other request", async () => {
    await fetch(`http://127.0.0.1:${port}/readyz`);
    await fetch(`http://127.0.0.1:${port}/signin`);
    readyStatus = 503;
    await fetch(`http://127.0.0.1:${port}/readyz`);
    const lines = logged().filter((l) => l.uri !== "/");
    expect(lines.map((l) => [l.uri, l.status])).toEqual([
      ["/signin", 200],
      ["/readyz", 503],
    ]);
  });
});
