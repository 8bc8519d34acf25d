// After a reboot (an unattended-upgrades one, an EC2 recovery), the site must come back by itself:
// every unit it needs is enabled, and nothing it needs is only a one-time effect of the first
// boot's runcmd.
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CLOUDWATCH_AGENT_UNIT,
  MIGRATE_UNIT_NAME,
  PATHS,
  renderBootScript,
  renderCloudConfig,
  renderSecretsUnit,
  renderServiceUnit,
  SECRETS_UNIT_NAME,
  SERVICE_UNIT_NAME,
} from "../../instance/index.ts";
import { sampleInput } from "./support/sample-input.ts";
import { requireTool, run } from "./support/tools.ts";

const boot = renderBootScript(sampleInput());
const commands = boot.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
/** Units the site needs running after any boot. */
const NEEDED = ["nginx.service", SERVICE_UNIT_NAME, CLOUDWATCH_AGENT_UNIT];

describe("what the first boot leaves behind", () => {
  it("runcmd runs only the boot script: no one-off command of its own", () => {
    expect(renderCloudConfig(sampleInput())).toMatch(
      /^runcmd:\n {2}- - \/usr\/local\/sbin\/expense-tracker-boot\n(?! )/m,
    );
  });

  it("enables every unit the site needs, not only starts it", () => {
    const enabled = commands.flatMap(
      (l) => /^systemctl enable (\S+)$/.exec(l.trim())?.slice(1) ?? [],
    );
    expect(enabled.sort()).toEqual([...NEEDED].sort());
  });

  it("starts no unit it does not also enable", () => {
    const started = commands.flatMap(
      (l) => /^systemctl (?:start|restart|reload-or-restart) (\S+)$/.exec(l.trim())?.slice(1) ?? [],
    );
    expect(started.length).toBeGreaterThan(0);
    for (const unit of started) expect(NEEDED, unit).toContain(unit);
  });

  it("the secrets and migration units come with the service at every start", () => {
    expect(renderServiceUnit()).toContain(`Requires=${SECRETS_UNIT_NAME} ${MIGRATE_UNIT_NAME}\n`);
  });

  it("changes no volatile state: no kernel settings, mounts, firewall rules or files under /run", () => {
    for (const line of commands) {
      expect(line, line).not.toMatch(
        /\b(sysctl|modprobe|mount|iptables|nft|swapon|ulimit|ip route)\b/,
      );
      expect(line, line).not.toMatch(/(^|[\s>])\/(run|dev\/shm)\//);
    }
  });
});

describe.runIf(requireTool("systemctl", "systemd"))("systemctl --root enable", () => {
  const root = mkdtempSync(join(tmpdir(), "et-enable-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("the service unit's [Install] section makes multi-user.target start it at boot", () => {
    mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
    writeFileSync(join(root, PATHS.serviceUnit), renderServiceUnit());
    writeFileSync(join(root, PATHS.secretsUnit), renderSecretsUnit(sampleInput()));
    const r = run("systemctl", [`--root=${root}`, "enable", SERVICE_UNIT_NAME]);
    expect(r.stderr).not.toMatch(/no installation config|not meant to be enabled/i);
    expect(r.status).toBe(0);
    const link = join(root, "etc/systemd/system/multi-user.target.wants", SERVICE_UNIT_NAME);
    // Absolute inside the root, so it is read, not followed.
    expect(readlinkSync(link)).toBe(PATHS.serviceUnit);
  });
});
