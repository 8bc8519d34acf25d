import { describe, expect, it } from "vitest";
import { todayIn } from "../src/lib/dates.ts";

describe("todayIn", () => {
  it("is the date in the zone, not the server's, on either side of the zone's midnight", () => {
    // 2026-03-31 23:59:59 in Auckland (UTC+13) is 10:59:59 UTC; one second later it is April there.
    expect(todayIn("Pacific/Auckland", new Date("2026-03-31T10:59:59Z"))).toBe("2026-03-31");
    expect(todayIn("Pacific/Auckland", new Date("2026-03-31T11:00:00Z"))).toBe("2026-04-01");
    expect(todayIn("America/Los_Angeles", new Date("2026-04-01T06:59:59Z"))).toBe("2026-03-31");
    expect(todayIn("America/Los_Angeles", new Date("2026-04-01T07:00:00Z"))).toBe("2026-04-01");
  });

  it("answers for the zone asked, when several zones ask within the same second", () => {
    const now = new Date("2026-06-30T23:30:00Z");
    expect(todayIn("UTC", now)).toBe("2026-06-30");
    expect(todayIn("Asia/Kolkata", now)).toBe("2026-07-01");
    expect(todayIn("UTC", now)).toBe("2026-06-30");
    expect(todayIn("Asia/Kolkata", new Date("2026-06-30T18:29:59Z"))).toBe("2026-06-30");
  });
});
