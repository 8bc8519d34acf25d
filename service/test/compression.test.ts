// Compressed answers: assets in brotli or gzip, pages in gzip, each only when the client accepts
// it, and the same bytes once decompressed.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { assetPath } from "../src/assets.ts";
import { chooseEncoding } from "../src/middleware/compress.ts";
import { describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

describe("chooseEncoding", () => {
  it("takes the best weight the client gives, in the server's order when they tie", () => {
    const both = ["br", "gzip"] as const;
    expect(chooseEncoding("gzip, deflate, br, zstd", [...both])).toBe("br");
    expect(chooseEncoding("gzip, deflate", [...both])).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip", [...both])).toBe("gzip");
    expect(chooseEncoding("gzip;q=0.9, br;q=0.4", [...both])).toBe("gzip");
    expect(chooseEncoding("*", [...both])).toBe("br");
    expect(chooseEncoding("*;q=0, gzip;q=0.1", [...both])).toBe("gzip");
    expect(chooseEncoding("identity", [...both])).toBeUndefined();
    expect(chooseEncoding("GZIP", ["gzip"])).toBe("gzip");
    expect(chooseEncoding("gzip;q=abc", ["gzip"])).toBeUndefined();
    expect(chooseEncoding(undefined, [...both])).toBeUndefined();
    expect(chooseEncoding("", [...both])).toBeUndefined();
  });
});

describeEachDatabase("compressed answers", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current());
  });

  it("serves an asset in brotli or gzip as accepted, the same bytes once decompressed", async () => {
    const path = assetPath("bootstrap.min.css");
    const plain = await app.request(path);
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(plain.headers.get("vary")).toBe("Accept-Encoding");
    const text = await plain.text();
    expect(text.length).toBeGreaterThan(100_000);

    const br = await app.request(path, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(br.headers.get("content-encoding")).toBe("br");
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brotliDecompressSync(brBytes).toString("utf8")).toBe(text);
    expect(brBytes.length).toBeLessThan(text.length / 5);

    const gz = await app.request(path, { headers: { "accept-encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8")).toBe(text);
  });

  it("gzips pages for a client that accepts gzip, never a HEAD answer", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const plain = await agent.get("/transactions");
    const html = await plain.text();
    expect(plain.headers.get("content-encoding")).toBeNull();

    const gz = await agent.get("/transactions", { "accept-encoding": "gzip, br" });
    expect(gz.status).toBe(200);
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("content-length")).toBeNull();
    expect(gz.headers.get("vary")).toContain("Accept-Encoding");
    const page = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8");
    // The same page but for its per-answer CSRF mask.
    const unmask = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, "");
    expect(unmask(page)).toBe(unmask(html));

    const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const head = await app.request("/transactions", {
      method: "HEAD",
      headers: { cookie, "accept-encoding": "gzip" },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-encoding")).toBeNull();
    const noGzip = await agent.get("/transactions", { "accept-encoding": "br;q=1, gzip;q=0" });
    expect(noGzip.headers.get("content-encoding")).toBeNull();
  });
});
