// Where things live on the instance. Every renderer takes its paths from here, so the files
// cloud-init writes, the units that read them and the boot script agree.

/** The system user the service runs as (created by cloud-init, no login, no home). */
export const SERVICE_USER = "expense-tracker";

/** Port the service listens on, on 127.0.0.1 only; nginx is the only way in. */
export const SERVICE_PORT = 3000;

export const PATHS = {
  /** The pinned Node.js release, unpacked. */
  nodeDir: "/opt/node",
  node: "/opt/node/bin/node",
  appDir: "/opt/expense-tracker",
  /** The service artifact, fetched from S3 and checked against its sha256. */
  artifact: "/opt/expense-tracker/expense-tracker.mjs",
  etFetch: "/usr/local/bin/et-fetch",
  bootScript: "/usr/local/sbin/expense-tracker-boot",
  originVerifyScript: "/usr/local/sbin/expense-tracker-origin-verify",
  envFile: "/etc/expense-tracker/env",
  /** Environment of the migration unit (root only): the master user's URL and password command. */
  migrateEnvFile: "/etc/expense-tracker/migrate.env",
  rdsCaFile: "/etc/expense-tracker/rds-ca.pem",
  nginxSite: "/etc/nginx/sites-available/expense-tracker",
  nginxSiteEnabled: "/etc/nginx/sites-enabled/expense-tracker",
  nginxDefaultSite: "/etc/nginx/sites-enabled/default",
  /** Written at service start from the CloudFront origin secret; denies everything until then. */
  originVerifyInclude: "/etc/nginx/expense-tracker/origin-verify.conf",
  accessLog: "/var/log/nginx/expense-tracker.access.log",
  nginxErrorLog: "/var/log/nginx/error.log",
  /** The service's stdout and stderr (JSON lines), in its LogsDirectory. */
  serviceLog: "/var/log/expense-tracker/service.log",
  serviceLogrotate: "/etc/logrotate.d/expense-tracker",
  tmpfiles: "/etc/tmpfiles.d/expense-tracker.conf",
  cloudWatchAgentConfig: "/opt/aws/amazon-cloudwatch-agent/etc/expense-tracker.json",
  serviceUnit: "/etc/systemd/system/expense-tracker.service",
  secretsUnit: "/etc/systemd/system/expense-tracker-secrets.service",
  migrateUnit: "/etc/systemd/system/expense-tracker-migrate.service",
  /** RuntimeDirectory of the secrets unit: root only, gone when the unit stops. */
  secretsDir: "/run/expense-tracker-secrets",
  autoUpgrades: "/etc/apt/apt.conf.d/20auto-upgrades",
  unattendedUpgrades: "/etc/apt/apt.conf.d/52expense-tracker-unattended-upgrades",
} as const;

export const SERVICE_UNIT_NAME = "expense-tracker.service";
export const SECRETS_UNIT_NAME = "expense-tracker-secrets.service";
export const MIGRATE_UNIT_NAME = "expense-tracker-migrate.service";

/** Instance metadata (IMDS): credentials of the instance role. The web service may not reach it. */
export const IMDS_ADDRESSES = ["169.254.169.254", "fd00:ec2::254"] as const;
