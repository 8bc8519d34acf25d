// The root-only oneshot that migrates the database before the service starts: the artifact's
// `migrate` command, signed in as the RDS master user (its password fetched by et-fetch with the
// instance role, again whenever RDS has rotated it), which then creates or updates the app role
// the service connects as. The service itself never sees the master password.
import type { UserDataInput } from "./input.ts";
import { MIGRATE_UNIT_NAME, PATHS, SECRETS_UNIT_NAME, SERVICE_UNIT_NAME } from "./paths.ts";
import { CREDENTIALS, databaseUrl, renderEnvironment, SANDBOX, secretFile } from "./systemd.ts";

/** How long the migration command waits for PostgreSQL to answer before it fails (and systemd restarts it). */
export const MIGRATE_WAIT_SECONDS = 900;

/** The command the migration command runs (split on whitespace, no shell) for the master password. */
export function masterPasswordCommand(input: Pick<UserDataInput, "database" | "region">): string {
  return `${PATHS.etFetch} secret ${input.database.secretArn} --region ${input.region} --json-key password`;
}

/** `/etc/expense-tracker/migrate.env`: the master user's URL and how to get its password. */
export function renderMigrateEnvFile(input: Pick<UserDataInput, "database" | "region">): string {
  return renderEnvironment(MIGRATE_UNIT_NAME, {
    DATABASE_URL: databaseUrl(input.database, input.database.user),
    DATABASE_CA_FILE: PATHS.rdsCaFile,
    DATABASE_PASSWORD_COMMAND: masterPasswordCommand(input),
  });
}

/** The migration command line: the artifact, the app role, its password as the secrets unit fetched it. */
export function migrateCommand(input: Pick<UserDataInput, "database">): string {
  return [
    PATHS.node,
    PATHS.artifact,
    "migrate",
    `--app-role ${input.database.appUser}`,
    `--app-password-file ${secretFile(CREDENTIALS.dbPassword)}`,
    `--wait ${MIGRATE_WAIT_SECONDS}`,
  ].join(" ");
}

/** The unit: after the secrets, before the service, again at each restart of the service. */
export function renderMigrateUnit(input: Pick<UserDataInput, "database">): string {
  return `# Rendered by infra/instance/migrate-unit.ts.
[Unit]
Description=Expense tracker: apply database migrations and set up the app role
Wants=network-online.target
After=network-online.target ${SECRETS_UNIT_NAME}
Requires=${SECRETS_UNIT_NAME}
Before=${SERVICE_UNIT_NAME}
# Stopped and restarted with the service, so a restart migrates (and re-reads the secrets) again.
PartOf=${SERVICE_UNIT_NAME}
# Retried until PostgreSQL answers; a start limit would fail the service with it for good.
StartLimitIntervalSec=0

[Service]
Type=oneshot
# Stays active after the command ends, so the service's Requires= holds.
RemainAfterExit=yes
# Root, for the root-only secrets folder and the instance metadata (et-fetch), with no capabilities.
EnvironmentFile=${PATHS.migrateEnvFile}
ExecStart=${migrateCommand(input)}
# The command waits up to ${MIGRATE_WAIT_SECONDS} s for PostgreSQL (a backup or maintenance window, a reboot);
# then it fails and is restarted.
TimeoutStartSec=${MIGRATE_WAIT_SECONDS + 60}
Restart=on-failure
RestartSec=30
NoNewPrivileges=yes
ProtectSystem=strict
${SANDBOX}
ProtectProc=invisible
PrivateMounts=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
CapabilityBoundingSet=
AmbientCapabilities=
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
SystemCallErrorNumber=EPERM
UMask=0077
`;
}
