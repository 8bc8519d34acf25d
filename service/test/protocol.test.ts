// What reaches the app over a real socket: bodies that break off or are garbled, slow headers.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderNginxSite } from "../../infra/instance/nginx.ts";
import { createLogger } from "../src/lib/logger.ts";
import { SERVER_TIMEOUTS } from "../src/server-timeouts.ts";
import { describeEachDatabase, testApp } from "./support/harness.ts";

/** Sends `request` raw and resolves with what came back once the server is done with it. */
async function raw(port: number, request: string, opts: { abortAfterMs?: number } = {}) {
  const socket: Socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  let got = "";
  socket.on("data", (d) => {
    got += d.toString("latin1");
  });
  socket.on("error", () => {});
  socket.write(Buffer.from(request, "latin1")); // one byte per character, as written
  if (opts.abortAfterMs !== undefined) {
    await new Promise((r) => setTimeout(r, opts.abortAfterMs));
    socket.destroy();
  } else {
    await Promise.race([once(socket, "close"), new Promise((r) => setTimeout(r, 2000))]);
    socket.destroy();
  }
  return got;
}

describeEachDatabase("a client that garbles or abandons its body", (t) => {
  const lines: string[] = [];
  let server: ReturnType<typeof serve>;
  let port = 0;
  beforeAll(async () => {
    const logger = createLogger("info", (line) => lines.push(line), "json");
    server = serve({
      fetch: testApp(t.current(), { logger }).fetch,
      port: 0,
      hostname: "127.0.0.1",
    });
    await once(server, "listening");
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const head = (extra: string) =>
    `POST /signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n${extra}\r\n`;
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it.each([
    [
      "a malformed chunk",
      `${head("Transfer-Encoding: chunked\r\n")}5\r\nemail\r\nZZ\r\nnot a chunk`,
    ],
    ["a body cut short", `${head("Content-Length: 100\r\n")}email=a`],
    ["a chunked body that stops", `${head("Transfer-Encoding: chunked\r\n")}7\r\nemail=a\r\n`],
  ])("%s is logged as a 4xx, never as an unhandled error", async (_name, request) => {
    lines.length = 0;
    await raw(port, request, { abortAfterMs: 200 });
    await settle();
    const logged = lines.map((l) => JSON.parse(l) as { msg: string; status?: number });
    expect(logged.filter((l) => l.msg === "unhandled error")).toEqual([]);
    const requests = logged.filter((l) => l.msg === "request");
    expect(requests).toHaveLength(1);
    for (const r of requests) expect(r.status).toBeGreaterThanOrEqual(400);
    for (const r of requests) expect(r.status).toBeLessThan(500);
  });
});

describeEachDatabase("raw bytes in the request line", (t, driver) => {
  // Node's HTTP parser refuses them before the app runs; %-escaped bytes are the app's to refuse.
  it.runIf(driver === "embedded")("a URL with a raw byte above 0x7f gets 400", async () => {
    const server = serve({ fetch: testApp(t.current()).fetch, port: 0, hostname: "127.0.0.1" });
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    const line = (path: string) =>
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
    const refused = await raw(port, line("/signin?next=/\xff\xfe"));
    const escaped = await raw(port, line("/signin?next=/%ff%fe"));
    await new Promise<void>((r) => server.close(() => r()));
    expect(refused).toMatch(/^HTTP\/1\.1 400 /);
    expect(escaped).toMatch(/^HTTP\/1\.1 400 /);
    expect(escaped).toContain("not UTF-8 text");
  });
});

describe("server timeouts", () => {
  const seconds = (site: string, directive: string) =>
    Number(new RegExp(`${directive} (\\d+)s;`).exec(site)?.[1]);

  it("sit just outside nginx's: headers, whole request, idle keep-alive", () => {
    const site = renderNginxSite();
    expect(SERVER_TIMEOUTS.headersTimeout / 1000).toBeGreaterThan(
      seconds(site, "client_header_timeout"),
    );
    expect(SERVER_TIMEOUTS.requestTimeout / 1000).toBeGreaterThan(
      seconds(site, "proxy_read_timeout"),
    );
    // nginx keeps idle upstream connections for its default of 60 s.
    expect(SERVER_TIMEOUTS.keepAliveTimeout).toBeGreaterThan(60_000);
    expect(SERVER_TIMEOUTS.headersTimeout).toBeLessThan(SERVER_TIMEOUTS.requestTimeout);
  });
});

describeEachDatabase("slow clients", (t, driver) => {
  // Once is enough: the database plays no part, and the test waits headersTimeout.
  it.runIf(driver === "embedded")(
    "headers sent a byte a second are cut off after headersTimeout; an idle keep-alive stays",
    async () => {
      const server = serve({
        fetch: testApp(t.current()).fetch,
        port: 0,
        hostname: "127.0.0.1",
        serverOptions: SERVER_TIMEOUTS,
      });
      await once(server, "listening");
      const port = (server.address() as { port: number }).port;
      const started = Date.now();
      const closedAt: number[] = [];
      const slow = Array.from({ length: 3 }, () => connect(port, "127.0.0.1"));
      const drip = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".padEnd(200, "a");
      let i = 0;
      const timer = setInterval(() => {
        for (const s of slow) if (!s.destroyed) s.write(drip[i % drip.length] ?? "a");
        i++;
      }, 1000);
      for (const s of slow) {
        s.on("error", () => {});
        s.on("close", () => closedAt.push(Date.now() - started));
      }
      const idle = connect(port, "127.0.0.1");
      let idleClosed = false;
      idle.on("close", () => {
        idleClosed = true;
      });
      idle.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      await new Promise((r) => setTimeout(r, SERVER_TIMEOUTS.headersTimeout + 3000));
      clearInterval(timer);
      expect(closedAt).toHaveLength(3);
      for (const at of closedAt)
        expect(at).toBeGreaterThanOrEqual(SERVER_TIMEOUTS.headersTimeout - 1000);
      expect(idleClosed).toBe(false);
      idle.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
    40_000,
  );
});
