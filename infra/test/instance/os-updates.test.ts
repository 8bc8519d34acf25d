// Security updates that need a reboot get one, at night, outside the database's windows.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DB_BACKUP_WINDOW, DB_MAINTENANCE_WINDOW } from "../../database-rules.ts";
import { instanceFiles, PATHS } from "../../instance/index.ts";
import { REBOOT_TIME } from "../../instance/os-updates.ts";
import { sampleInput } from "./support/sample-input.ts";
import { requireTool, run } from "./support/tools.ts";

const minutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
/** `HH:MM-HH:MM` or `ddd:HH:MM-ddd:HH:MM` as [start, end] minutes of the day. */
const window = (w: string): [number, number] => {
  const [from, to] = w.split("-").map((t) => t.replace(/^[a-z]{3}:/, ""));
  return [minutes(from ?? ""), minutes(to ?? "")];
};

const file = (path: string) => instanceFiles(sampleInput()).find((f) => f.path === path)?.content;

describe("unattended-upgrades", () => {
  it("reboots when an update needs it, with users logged in or not", () => {
    const conf = file(PATHS.unattendedUpgrades) ?? "";
    expect(conf).toContain('Unattended-Upgrade::Automatic-Reboot "true";');
    expect(conf).toContain('Unattended-Upgrade::Automatic-Reboot-WithUsers "true";');
    expect(conf).toContain(`Unattended-Upgrade::Automatic-Reboot-Time "${REBOOT_TIME}";`);
    // Read after the package's own 50unattended-upgrades, so these values win.
    expect(PATHS.unattendedUpgrades.split("/").at(-1)?.slice(0, 2)).toBe("52");
    expect(file(PATHS.autoUpgrades)).toContain('APT::Periodic::Unattended-Upgrade "1";');
  });

  it("reboots at night, with a quarter hour to spare before RDS's backup and maintenance windows", () => {
    const reboot = minutes(REBOOT_TIME);
    // Any day: the weekly window is checked as if it were every day.
    for (const w of [DB_BACKUP_WINDOW, DB_MAINTENANCE_WINDOW]) {
      const [start, end] = window(w);
      const clear = reboot + 15 <= start || reboot >= end;
      expect(clear, `${REBOOT_TIME} against ${w}`).toBe(true);
    }
    expect(reboot).toBeLessThan(6 * 60);
  });

  it.runIf(requireTool("apt-config", "apt"))("apt reads the file as written", () => {
    const dir = mkdtempSync(join(tmpdir(), "et-apt-"));
    try {
      const conf = join(dir, "52expense-tracker-unattended-upgrades");
      writeFileSync(conf, file(PATHS.unattendedUpgrades) ?? "");
      const r = run("apt-config", ["-c", conf, "dump", "Unattended-Upgrade"]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain('Unattended-Upgrade::Automatic-Reboot "true";');
      expect(r.stdout).toContain(`Unattended-Upgrade::Automatic-Reboot-Time "${REBOOT_TIME}";`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
