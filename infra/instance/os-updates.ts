// Ubuntu's unattended-upgrades: daily security updates and, when one needs it, a reboot at night.
// The reboot time stays clear of RDS's backup and maintenance windows, so a restart of the web
// server never meets a database that is busy or briefly gone.

/** When the instance reboots after an update that needs it (UTC; the instance runs on UTC). */
export const REBOOT_TIME = "02:00";

/** `/etc/apt/apt.conf.d/20auto-upgrades`: refresh the lists and upgrade, daily. */
export function renderAutoUpgrades(): string {
  return 'APT::Periodic::Update-Package-Lists "1";\nAPT::Periodic::Unattended-Upgrade "1";\n';
}

/**
 * `/etc/apt/apt.conf.d/52expense-tracker-unattended-upgrades`, read after the package's
 * 50unattended-upgrades: without Automatic-Reboot "true" a kernel or libc fix never takes effect.
 */
export function renderUnattendedUpgrades(): string {
  return `// Rendered by infra/instance/os-updates.ts.
Unattended-Upgrade::Automatic-Reboot "true";
// Nobody logs in to this instance in normal use; an SSM session must not hold a fix back.
Unattended-Upgrade::Automatic-Reboot-WithUsers "true";
Unattended-Upgrade::Automatic-Reboot-Time "${REBOOT_TIME}";
`;
}
