import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnerServer, startOwnerServer } from "./support/owner-server.ts";
import { runCli } from "./support/run-cli.ts";
import { type StubServer, startStub } from "./support/stub-server.ts";

const owner = { email: "owner@example.com", password: "correct horse battery" };
const login = { SMOKE_EMAIL: owner.email, SMOKE_PASSWORD: owner.password };

let app: OwnerServer;
let broken: StubServer;

beforeAll(async () => {
  [app, broken] = await Promise.all([
    startOwnerServer(owner),
    startStub((_req, res) =>
      res
        .writeHead(503, { "content-type": "application/json" })
        .end('{"status":"unavailable","reason":"database unreachable"}'),
    ),
  ]);
});

afterAll(async () => {
  await Promise.all([app?.stop(), broken?.close()]);
});

describe("npm run smoke", () => {
  it("exits 0 and prints an all-pass table for a healthy server (the stack's url output)", async () => {
    const run = await runCli("smoke", [], {
      ...login,
      STACK_OUTPUTS_JSON: JSON.stringify({ url: app.origin }),
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^readyz 200 +PASS +200 after 0m0\ds \(1 try\)$/m);
    expect(run.stdout).toMatch(
      /^http -> https +SKIP +http:\/\/127\.0\.0\.1:\d+ is not https:\/\/$/m,
    );
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("PASS: 5 passed, 0 failed, 1 skipped");
    expect(run.stdout).not.toContain(owner.password);
  });

  it("exits 1 with the failures in the table when /readyz never answers 200", async () => {
    // --timeout is in minutes: 0.02 = 1.2 s of waiting for /readyz.
    const run = await runCli("smoke", ["--url", broken.origin, "--timeout", "0.02"], login);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^readyz 200 +FAIL +still 503 database unreachable after 0m01s$/m);
    expect(run.stdout).toMatch(/^sign in +FAIL +GET \/signin answered 503 without a _csrf field$/m);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("FAIL: 0 passed, 3 failed, 3 skipped");
  });
});
