// The systemd units and the environment file of the service. Secrets never touch the disk or
// the user data: at each (re)start a root-only oneshot fetches them into /run with the instance
// role, and the service reads them as systemd credentials (LoadCredential=, private to it).
import type { UserDataInput } from "./input.ts";
import {
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
} as const;

const secretFile = (name: string) => `${PATHS.secretsDir}/${name}`;

/** `postgres://user@host:port/db`: no password (DATABASE_PASSWORD_COMMAND gives it), no sslmode. */
export function databaseUrl(database: UserDataInput["database"]): string {
  const { user, host, port, name } = database;
  return `postgres://${encodeURIComponent(user)}@${host}:${port}/${encodeURIComponent(name)}`;
}

/** The command the service runs (split on whitespace, no shell) for the database password. */
export function databasePasswordCommand(input: Pick<UserDataInput, "database" | "region">): string {
  return `${PATHS.etFetch} secret ${input.database.secretArn} --region ${input.region} --json-key password`;
}

/**
 * `/etc/expense-tracker/env`, read by systemd (EnvironmentFile=) for the service. It holds no
 * secret: only where the service finds things.
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
    DATABASE_URL: databaseUrl(input.database),
    DATABASE_CA_FILE: PATHS.rdsCaFile,
    DATABASE_PASSWORD_COMMAND: databasePasswordCommand(input),
    OWNER_EMAIL: input.ownerEmail,
    TRUST_PROXY: String(input.trustProxy),
    LOG_LEVEL: input.logLevel ?? "info",
    ...(input.publicUrl ? { PUBLIC_URL: input.publicUrl } : {}),
  };
  const lines = Object.entries(env).map(([key, value]) => {
    // Characters that mean nothing to systemd's env-file parser, quoted or not.
    if (!/^[A-Za-z0-9 _.:/@+=!,-]*$/.test(value)) {
      throw new Error(
        `env file: ${key}=${JSON.stringify(value)} holds a character it cannot carry`,
      );
    }
    return value.includes(" ") ? `${key}="${value}"` : `${key}=${value}`;
  });
  return `# Environment of ${SERVICE_UNIT_NAME}. Rendered by infra/instance/systemd.ts; no secrets here.
${lines.join("\n")}
`;
}

/** Sandboxing both units share: no home folders, devices, kernel knobs, clock or host name. */
const SANDBOX = `ProtectHome=yes
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
After=network-online.target ${SECRETS_UNIT_NAME}
Requires=${SECRETS_UNIT_NAME}
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
Environment=SESSION_SECRET_FILE=%d/${CREDENTIALS.sessionSecret}
Environment=OWNER_PASSWORD_FILE=%d/${CREDENTIALS.ownerPassword}
WorkingDirectory=${PATHS.appDir}
ExecStart=${PATHS.node} ${PATHS.artifact}
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
# Network to RDS and to IMDS (et-fetch, for the database password); AF_UNIX for the resolver.
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
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
