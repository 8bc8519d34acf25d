// The systemd units and the environment file of the service. Secrets never touch the disk or
// the user data: at each (re)start a root-only oneshot fetches them into /run with the instance
// role, and the service reads them as systemd credentials (LoadCredential=, private to it). The
// service cannot reach the instance metadata, so it can never use the instance role itself.
import type { UserDataInput } from "./input.ts";
import { SERVICE_NODE_FLAGS } from "./node-runtime.ts";
import {
  IMDS_ADDRESSES,
  MIGRATE_UNIT_NAME,
  PATHS,
  SECRETS_UNIT_NAME,
  SERVICE_PORT,
  SERVICE_UNIT_NAME,
  SERVICE_USER,
} from "./paths.ts";

/** Credential names of the service unit; the service sees them under `$CREDENTIALS_DIRECTORY`. */
export const CREDENTIALS = {
  sessionSecret: "session-secret",
  ownerPassword: "owner-password",
  /** The app role's database password. */
  dbPassword: "db-password",
} as const;

export const secretFile = (name: string) => `${PATHS.secretsDir}/${name}`;

/** `postgres://user@host:port/db` for `user`: no password (a file or a command gives it), no sslmode. */
export function databaseUrl(database: UserDataInput["database"], user: string): string {
  const { host, port, name } = database;
  return `postgres://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(name)}`;
}

/**
 * An EnvironmentFile= for `unit`: `KEY=value` lines, quoted when they hold a space. Throws on a
 * value holding a character systemd's parser would treat specially.
 */
export function renderEnvironment(unit: string, env: Record<string, string>): string {
  const lines = Object.entries(env).map(([key, value]) => {
    // Characters that mean nothing to systemd's env-file parser, quoted or not.
    if (!/^[A-Za-z0-9 _.:/@+=!,-]*$/.test(value)) {
      throw new Error(
        `env file: ${key}=${JSON.stringify(value)} holds a character it cannot carry`,
      );
    }
    return value.includes(" ") ? `${key}="${value}"` : `${key}=${value}`;
  });
  return `# Environment of ${unit}. Rendered by infra/instance/; no secrets here.
${lines.join("\n")}
`;
}

/**
 * `/etc/expense-tracker/env`, read by systemd (EnvironmentFile=) for the service. It holds no
 * secret: only where the service finds things. The service connects as the app role, whose
 * password is a credential, and leaves migrations to the migration unit.
 */
export function renderEnvFile(
  input: Pick<
    UserDataInput,
    "database" | "region" | "ownerEmail" | "trustProxy" | "logLevel" | "publicUrl"
  >,
): string {
  const env: Record<string, string> = {
    PORT: String(SERVICE_PORT),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl(input.database, input.database.appUser),
    DATABASE_CA_FILE: PATHS.rdsCaFile,
    MIGRATIONS: "external",
    OWNER_EMAIL: input.ownerEmail,
    TRUST_PROXY: String(input.trustProxy),
    LOG_LEVEL: input.logLevel ?? "info",
    ...(input.publicUrl ? { PUBLIC_URL: input.publicUrl } : {}),
  };
  return renderEnvironment(SERVICE_UNIT_NAME, env);
}

/** Sandboxing every unit shares: no home folders, devices, kernel knobs, clock or host name. */
export const SANDBOX = `ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes`;

/** The oneshot that fetches the secrets before the service starts, again at every restart. */
export function renderSecretsUnit(input: Pick<UserDataInput, "region" | "secrets">): string {
  const fetch = (arn: string, name: string) =>
    `ExecStart=${PATHS.etFetch} secret ${arn} --region ${input.region} --out ${secretFile(name)} --mode 0600`;
  return `# Rendered by infra/instance/systemd.ts.
[Unit]
Description=Expense tracker: fetch secrets with the instance role
Wants=network-online.target
After=network-online.target
Before=${SERVICE_UNIT_NAME}
# Stopped and restarted with the service, so a restart fetches the secrets again.
PartOf=${SERVICE_UNIT_NAME}
# Retried until Secrets Manager answers; a start limit would fail the service with it for good.
StartLimitIntervalSec=0

[Service]
Type=oneshot
# Stays active after its commands end, which keeps its RuntimeDirectory (the files) in place.
RemainAfterExit=yes
RuntimeDirectory=${PATHS.secretsDir.replace("/run/", "")}
RuntimeDirectoryMode=0700
UMask=0077
TimeoutStartSec=120
# A failed fetch (throttling, a network blip at reboot) is retried; the service waits for it.
Restart=on-failure
RestartSec=5
${fetch(input.secrets.sessionSecretArn, CREDENTIALS.sessionSecret)}
${fetch(input.secrets.ownerPasswordArn, CREDENTIALS.ownerPassword)}
${fetch(input.secrets.originVerifyArn, "origin-verify")}
${fetch(input.secrets.dbAppPasswordArn, CREDENTIALS.dbPassword)}
ExecStart=${PATHS.originVerifyScript} ${secretFile("origin-verify")} ${PATHS.originVerifyInclude}
ExecStart=/usr/sbin/nginx -t -q
# Not blocking: nginx may itself be starting in the same boot transaction.
ExecStart=/usr/bin/systemctl --no-block try-reload-or-restart nginx.service
# Root, for nginx -t (which opens nginx's logs) and the reload; otherwise fenced in.
NoNewPrivileges=yes
# Writes /etc/nginx/expense-tracker, so /etc stays writable; /usr and /boot do not.
ProtectSystem=yes
${SANDBOX}
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
LockPersonality=yes
SystemCallArchitectures=native
`;
}

/** The service itself: the pinned Node.js running the artifact as the unprivileged user. */
export function renderServiceUnit(): string {
  const cred = (name: string) => `${name}:${secretFile(name)}`;
  return `# Rendered by infra/instance/systemd.ts.
[Unit]
Description=Expense tracker web service
Wants=network-online.target
After=network-online.target ${SECRETS_UNIT_NAME} ${MIGRATE_UNIT_NAME}
Requires=${SECRETS_UNIT_NAME} ${MIGRATE_UNIT_NAME}
# Never give up restarting: after a reboot or an RDS restart the database may take minutes to
# answer, and a start limit would leave the site down for good once it does.
StartLimitIntervalSec=0

[Service]
Type=exec
User=${SERVICE_USER}
Group=${SERVICE_USER}
EnvironmentFile=${PATHS.envFile}
LoadCredential=${cred(CREDENTIALS.sessionSecret)}
LoadCredential=${cred(CREDENTIALS.ownerPassword)}
LoadCredential=${cred(CREDENTIALS.dbPassword)}
Environment=SESSION_SECRET_FILE=%d/${CREDENTIALS.sessionSecret}
Environment=OWNER_PASSWORD_FILE=%d/${CREDENTIALS.ownerPassword}
Environment=DATABASE_PASSWORD_FILE=%d/${CREDENTIALS.dbPassword}
WorkingDirectory=${PATHS.appDir}
ExecStart=${PATHS.node} ${SERVICE_NODE_FLAGS.join(" ")} ${PATHS.artifact}
# JSON log lines go to a file the CloudWatch agent ships (and to nowhere else: no duplicate in
# the journal). LogsDirectory= makes /var/log/expense-tracker writable under ProtectSystem=strict;
# the folder itself comes from tmpfiles.d, because systemd opens the output file before it
# creates LogsDirectory= (systemd issue 27591).
LogsDirectory=expense-tracker
LogsDirectoryMode=0750
StandardOutput=append:${PATHS.serviceLog}
StandardError=append:${PATHS.serviceLog}
Restart=on-failure
RestartSec=5
# The service drains requests for up to 8 s after SIGTERM.
TimeoutStopSec=15

NoNewPrivileges=yes
ProtectSystem=strict
${SANDBOX}
ProtectProc=invisible
PrivateMounts=yes
# Network to RDS; AF_UNIX for the resolver. Never the instance metadata: code running as the
# service gets no credentials of the instance role (Secrets Manager, S3, CloudWatch, SSM).
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
IPAddressDeny=${IMDS_ADDRESSES.join(" ")}
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
CapabilityBoundingSet=
AmbientCapabilities=
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
# Refused calls fail with EPERM instead of killing: Node tries setrlimit() at start and moves on.
SystemCallErrorNumber=EPERM
UMask=0077
# No MemoryDenyWriteExecute=: V8's JIT needs writable, executable memory.

[Install]
WantedBy=multi-user.target
`;
}

/** Creates the service's log folder at every boot, before the service opens its log file. */
export function renderTmpfiles(): string {
  return `# Rendered by infra/instance/systemd.ts.
d ${PATHS.serviceLog.slice(0, PATHS.serviceLog.lastIndexOf("/"))} 0750 ${SERVICE_USER} ${SERVICE_USER} -
`;
}
