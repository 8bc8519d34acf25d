// PUBLIC_URL: the site answers only at its own addresses (421 otherwise), form posts must come
// from one of them, and the health probes the instance runs on itself keep working.
import { execFile } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { serve } from "@hono/node-server";
import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBootScript } from "../../infra/instance/boot-script.ts";
import { READINESS_SCRIPT } from "../../scripts/ops/instance-ready.ts";
import { loadConfig } from "../src/config.ts";
import { transactions } from "../src/db/schema.ts";
import { parsePublicUrls } from "../src/lib/public-url.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

describe("PUBLIC_URL", () => {
  it.each([
    ["https://money.example.com", ["https://money.example.com"]],
    ["https://Money.Example.com/", ["https://money.example.com"]],
    [
      "https://money.example.com, https://d111.cloudfront.net",
      ["https://money.example.com", "https://d111.cloudfront.net"],
    ],
    [
      "http://localhost:3000 http://127.0.0.1:3000",
      ["http://localhost:3000", "http://127.0.0.1:3000"],
    ],
  ])("%s is read as %j", (value, origins) => {
    expect(parsePublicUrls(value)).toEqual({ origins });
  });

  it.each([
    "money.example.com",
    "ftp://money.example.com",
    "https://money.example.com/app",
    "https://money.example.com/?x=1",
    "https://user@money.example.com",
    "https://money.example.com#top",
    " , ",
  ])("%j is refused with a sentence that says what is accepted", (value) => {
    expect(() => loadConfig({ PUBLIC_URL: value, DATA_DIR: "/tmp/et-public-url" })).toThrow(
      /PUBLIC_URL=.*one or more site addresses such as https:\/\/money\.example\.com/,
    );
  });

  it("is empty when unset", () => {
    expect(loadConfig({ DATA_DIR: "/tmp/et-public-url" }).publicOrigins).toEqual([]);
  });
});

describeEachDatabase("PUBLIC_URL host allow-list", (t) => {
  const site = "money.example.com";
  const app = () => testApp(t.current(), { publicOrigins: [`http://${site}`] });
  const countTransactions = async () =>
    (await t.current().db.select({ n: count() }).from(transactions))[0]?.n;

  it("answers 421 with the site's address to a request for another host", async () => {
    for (const host of ["evil.example", "money.example.com.evil.example", "127.0.0.1:3000"]) {
      const res = await app().request("/signin", { headers: { host } });
      expect(res.status, host).toBe(421);
      expect(await res.text()).toBe("This site answers only at http://money.example.com.");
    }
    expect((await app().request("/signin", { headers: { host: site } })).status).toBe(200);
    expect(
      (await app().request("/signin", { headers: { host: "MONEY.example.com:80" } })).status,
    ).toBe(200);
  });

  it("a form post with another Host and a matching Origin is refused and saves nothing", async () => {
    const shared = app();
    const { agent } = await signedInAgent(shared, t.current(), {}, { host: site });
    const before = await countTransactions();
    const res = await agent.post(
      "/transactions",
      { kind: "expense", title: "Sneaky", amount: "5", categoryId: "1" },
      { host: "evil.example", origin: "http://evil.example" },
    );
    expect(res.status).toBe(421);
    expect(await countTransactions()).toBe(before);
  });

  it("the CSRF check takes the allowed Origin from PUBLIC_URL, not from the request", async () => {
    const shared = testApp(t.current(), { publicOrigins: [`https://${site}`] });
    const { agent } = await signedInAgent(shared, t.current(), {}, { host: site });
    // The request came over plain HTTP to the right host: its own origin would be http://...
    const res = await agent.post("/signout", {}, { origin: `http://${site}` });
    expect(res.status).toBe(403);
    expect((await agent.post("/signout", {}, { origin: `https://${site}` })).status).toBe(303);
  });

  it("health probes are exempt only from this machine", async () => {
    const res = await app().request("/readyz", { headers: { host: "127.0.0.1:3000" } });
    expect(res.status).toBe(421);
  });

  describe("the instance's own probes, run as the boot script and the readiness command run them", () => {
    let server: ReturnType<typeof serve>;
    let port = 0;
    beforeAll(async () => {
      server = serve({
        fetch: testApp(t.current(), {
          publicOrigins: ["https://money.example.com"],
          trustProxy: 2,
        }).fetch,
        port: 0,
        hostname: "127.0.0.1",
      });
      await once(server, "listening");
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    // The command lines as deployed; only the port differs (the tests cannot own port 3000).
    const onThisPort = (line: string) => {
      expect(line).toContain("http://127.0.0.1:3000/readyz");
      return line.replace("127.0.0.1:3000", `127.0.0.1:${port}`);
    };
    // Asynchronous: the server runs in this process and must answer while curl waits.
    const sh = async (line: string) =>
      (await promisify(execFile)("sh", ["-c", line], { encoding: "utf8", timeout: 10_000 })).stdout;

    it("the boot script's readiness loop", async () => {
      const boot = renderBootScript({
        arch: "x86_64",
        region: "eu-west-1",
        artifact: { bucket: "b", key: "k", sha256: "0".repeat(64) },
      });
      const line = /^\s*if (curl [^;]*\/readyz);/m.exec(boot)?.[1] ?? "";
      await expect(sh(onThisPort(line))).resolves.toBe("");
    });

    it("the deploy's readiness command", async () => {
      const line = READINESS_SCRIPT.find((l) => l.includes("/readyz")) ?? "";
      expect(JSON.parse(await sh(onThisPort(line)))).toEqual({ status: "ready" });
    });

    it("while a page for another host is refused on the same socket", async () => {
      const line = `curl --silent --output /dev/null --write-out %{http_code} http://127.0.0.1:${port}/signin`;
      expect(await sh(line)).toBe("421");
      expect(await sh(`${line} -H 'Host: money.example.com'`)).toBe("200");
    });
  });
});
