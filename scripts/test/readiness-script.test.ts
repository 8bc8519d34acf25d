// The readiness script as AWS-RunShellScript runs it (`sh`, result = exit code), on a fake
// instance: cloud-init, systemctl and curl are stand-ins whose exit codes each case sets.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLOUDWATCH_AGENT_UNIT as BOOT_AGENT_UNIT } from "../../infra/instance/cloudwatch-agent.ts";
import { CLOUDWATCH_AGENT_UNIT, READINESS_SCRIPT } from "../ops/instance-ready.ts";

const bin = mkdtempSync(join(tmpdir(), "readiness-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

/** A stand-in command that exits with $<NAME>_EXIT (default 0). */
function fake(name: string, variable: string) {
  const file = join(bin, name);
  writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> "$CALLS"\nexit "\${${variable}:-0}"\n`);
  chmodSync(file, 0o755);
}
fake("cloud-init", "CLOUD_INIT_EXIT");
fake("systemctl", "SYSTEMCTL_EXIT");
fake("curl", "CURL_EXIT");

function runReadiness(env: Record<string, string>) {
  const calls = join(bin, `calls-${Math.random().toString(36).slice(2)}`);
  writeFileSync(calls, "");
  const r = spawnSync("sh", ["-c", READINESS_SCRIPT.join("\n")], {
    env: { PATH: `${bin}:/usr/bin:/bin`, CALLS: calls, ...env },
    encoding: "utf8",
  });
  return { code: r.status, stderr: r.stderr, calls: spawnSync("cat", [calls]).stdout.toString() };
}

describe("the readiness script", () => {
  it("passes when cloud-init succeeded, the agent runs and /readyz answers", () => {
    const r = runReadiness({});
    expect(r.code).toBe(0);
    expect(r.calls).toContain(`systemctl is-active --quiet ${CLOUDWATCH_AGENT_UNIT}`);
    expect(r.calls).toContain("curl ");
  });

  it("passes when cloud-init finished with recoverable warnings (exit 2)", () => {
    expect(runReadiness({ CLOUD_INIT_EXIT: "2" }).code).toBe(0);
  });

  it("fails when cloud-init failed (exit 1), even though /readyz answers", () => {
    const r = runReadiness({ CLOUD_INIT_EXIT: "1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("not ready: cloud-init failed (exit 1)");
    expect(r.calls).not.toContain("curl ");
  });

  it("fails when the CloudWatch agent is not running, even though /readyz answers", () => {
    const r = runReadiness({ SYSTEMCTL_EXIT: "3" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`not ready: ${CLOUDWATCH_AGENT_UNIT} is not running`);
  });

  it("fails when /readyz does not answer", () => {
    expect(runReadiness({ CURL_EXIT: "22" }).code).toBe(22);
  });

  it("checks the unit the boot script enables", () => {
    expect(CLOUDWATCH_AGENT_UNIT).toBe(BOOT_AGENT_UNIT);
  });
});
