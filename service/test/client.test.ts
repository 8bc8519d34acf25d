import { describe, expect, it } from "vitest";
import { resolveClient } from "../src/middleware/client.ts";

const headers = (h: Record<string, string>) => (name: string) => h[name];
const url = new URL("http://10.0.1.5:3000/");

describe("resolveClient", () => {
  it("uses the socket, Host and the request scheme when no proxy is trusted", () => {
    const c = resolveClient(
      headers({ host: "app.local", "x-forwarded-for": "6.6.6.6", "x-forwarded-proto": "https" }),
      url,
      "192.0.2.10",
      0,
    );
    expect(c).toEqual({
      ip: "192.0.2.10",
      proto: "http",
      host: "app.local",
      origin: "http://app.local",
    });
  });

  it("with one trusted hop takes the address that proxy saw and its scheme", () => {
    const c = resolveClient(
      headers({
        host: "money.example",
        "x-forwarded-for": "203.0.113.7",
        "x-forwarded-proto": "https",
      }),
      url,
      "127.0.0.1",
      1,
    );
    expect(c).toEqual({
      ip: "203.0.113.7",
      proto: "https",
      host: "money.example",
      origin: "https://money.example",
    });
  });

  it("with two trusted hops ignores whatever the client put in front of the chain", () => {
    // viewer forged 6.6.6.6; CloudFront appended the real viewer 203.0.113.7; nginx appended CloudFront.
    const c = resolveClient(
      headers({ host: "money.example", "x-forwarded-for": "6.6.6.6, 203.0.113.7, 130.176.0.1" }),
      url,
      "127.0.0.1",
      2,
    );
    expect(c.ip).toBe("203.0.113.7");
  });

  it("a short chain falls back to its first address", () => {
    expect(resolveClient(headers({}), url, "127.0.0.1", 3).ip).toBe("127.0.0.1");
  });

  it("prefers X-Forwarded-Host only behind a trusted proxy and ignores unknown schemes", () => {
    const h = headers({
      host: "origin.internal",
      "x-forwarded-host": "money.example",
      "x-forwarded-proto": "gopher",
    });
    expect(resolveClient(h, url, "127.0.0.1", 1)).toMatchObject({
      host: "money.example",
      proto: "http",
    });
    expect(resolveClient(h, url, "127.0.0.1", 0)).toMatchObject({ host: "origin.internal" });
  });

  it("takes scheme and host from the nearest proxy's entry, not the client's", () => {
    const h = headers({
      host: "origin.internal",
      "x-forwarded-host": "evil.example, money.example",
      "x-forwarded-proto": "http, https",
    });
    expect(resolveClient(h, url, "127.0.0.1", 1)).toMatchObject({
      host: "money.example",
      proto: "https",
    });
  });
});
