import { beforeAll, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.ts";
import { describeEachDatabase, testApp } from "./support/harness.ts";

describeEachDatabase("request log of health checks", (t) => {
  const lines: string[] = [];
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current(), { logger: createLogger("info", (l) => lines.push(l)) });
  });

  it("a successful GET /readyz writes no line at info; other requests still do", async () => {
    lines.length = 0;
    expect((await app.request("/readyz")).status).toBe(200);
    expect(lines).toEqual([]);
    await app.request("/signin");
    expect(lines.map((l) => JSON.parse(l).path)).toEqual(["/signin"]);
  });

  it("GET /readyz is logged at debug", async () => {
    const debugLines: string[] = [];
    const debug = testApp(t.current(), {
      logger: createLogger("debug", (l) => debugLines.push(l)),
    });
    await debug.request("/readyz");
    expect(debugLines.map((l) => JSON.parse(l))).toContainEqual(
      expect.objectContaining({ level: "debug", msg: "request", path: "/readyz", status: 200 }),
    );
  });
});
