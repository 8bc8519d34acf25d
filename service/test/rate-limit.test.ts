import { describe, expect, it } from "vitest";
import { RequestRateLimit } from "../src/lib/rate-limit.ts";

describe("RequestRateLimit", () => {
  it("allows a burst of the minute's allowance, then says how long to wait", () => {
    let t = 0;
    const limit = new RequestRateLimit(60, () => t);
    for (let i = 0; i < 60; i++) expect(limit.take("a")).toBe(0);
    expect(limit.take("a")).toBe(1);
    expect(limit.remaining("a")).toBe(0);
    expect(limit.take("b")).toBe(0);
    t += 1000;
    expect(limit.take("a")).toBe(0);
    expect(limit.take("a")).toBe(1);
  });

  it("refills steadily and never beyond the allowance", () => {
    let t = 0;
    const limit = new RequestRateLimit(6, () => t);
    for (let i = 0; i < 6; i++) limit.take("a");
    expect(limit.take("a")).toBe(10);
    t += 30_000;
    expect(limit.remaining("a")).toBe(3);
    t += 10 * 60_000;
    expect(limit.remaining("a")).toBe(6);
  });

  it("refuses an allowance below one", () => {
    expect(() => new RequestRateLimit(0)).toThrow(RangeError);
  });
});
