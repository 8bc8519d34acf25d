import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  instanceFiles,
  PATHS,
  renderEnvFile,
  renderMigrateEnvFile,
  renderMigrateUnit,
  renderSecretsUnit,
  renderServiceUnit,
} from "../../instance/index.ts";
import { sampleInput } from "./support/sample-input.ts";
import { findTool, run } from "./support/tools.ts";

const input = sampleInput();
const service = renderServiceUnit();
const secrets = renderSecretsUnit(input);
const migrate = renderMigrateUnit(input);

/** `Key=value` lines of a unit, in order (repeated keys kept). */
const directives = (unit: string, key: string) =>
  unit
    .split("\n")
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));

describe("the service unit", () => {
  it("runs the artifact with the pinned Node as the service user, restarting on failure", () => {
    expect(directives(service, "ExecStart")).toEqual([
      `${PATHS.node} --max-semi-space-size=16 --heap-growing-percent=100 ${PATHS.artifact}`,
    ]);
    expect(directives(service, "User")).toEqual(["expense-tracker"]);
    expect(directives(service, "Group")).toEqual(["expense-tracker"]);
    expect(directives(service, "Restart")).toEqual(["on-failure"]);
    expect(directives(service, "TimeoutStopSec")).toEqual(["15"]);
    expect(directives(service, "EnvironmentFile")).toEqual([PATHS.envFile]);
  });

  it("reads the secrets, the app role's database password among them, as systemd credentials the oneshot fetched", () => {
    expect(directives(service, "LoadCredential")).toEqual([
      "session-secret:/run/expense-tracker-secrets/session-secret",
      "owner-password:/run/expense-tracker-secrets/owner-password",
      "db-password:/run/expense-tracker-secrets/db-password",
    ]);
    expect(directives(service, "Environment")).toEqual([
      "SESSION_SECRET_FILE=%d/session-secret",
      "OWNER_PASSWORD_FILE=%d/owner-password",
      "DATABASE_PASSWORD_FILE=%d/db-password",
    ]);
  });

  it("starts after the secrets and the migrations, and needs both", () => {
    expect(directives(service, "Requires")).toEqual([
      "expense-tracker-secrets.service expense-tracker-migrate.service",
    ]);
    expect(directives(service, "After")).toEqual([
      "network-online.target expense-tracker-secrets.service expense-tracker-migrate.service",
    ]);
  });

  it("cannot reach the instance metadata service, so it never holds the instance role's credentials", () => {
    expect(directives(service, "IPAddressDeny")).toEqual(["169.254.169.254 fd00:ec2::254"]);
    // The root units fetch with the instance role; the CloudWatch agent's unit is AWS's own.
    for (const file of instanceFiles(input)) {
      if (file.path === PATHS.serviceUnit) continue;
      expect(file.content, file.path).not.toContain("IPAddressDeny");
    }
  });

  it("is hardened", () => {
    for (const [key, value] of [
      ["NoNewPrivileges", "yes"],
      ["ProtectSystem", "strict"],
      ["PrivateTmp", "yes"],
      ["ProtectHome", "yes"],
      ["PrivateDevices", "yes"],
      ["ProtectKernelTunables", "yes"],
      ["ProtectKernelModules", "yes"],
      ["RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"],
      ["CapabilityBoundingSet", ""],
    ]) {
      expect(directives(service, key as string), key).toEqual([value]);
    }
  });
});

describe("the secrets unit", () => {
  it("fetches each secret into a root-only runtime directory before the service, with it on restart", () => {
    expect(directives(secrets, "Type")).toEqual(["oneshot"]);
    expect(directives(secrets, "RemainAfterExit")).toEqual(["yes"]);
    expect(directives(secrets, "RuntimeDirectory")).toEqual(["expense-tracker-secrets"]);
    expect(directives(secrets, "RuntimeDirectoryMode")).toEqual(["0700"]);
    expect(directives(secrets, "Before")).toEqual(["expense-tracker.service"]);
    expect(directives(secrets, "PartOf")).toEqual(["expense-tracker.service"]);
    expect(directives(secrets, "ExecStart")).toEqual([
      `/usr/local/bin/et-fetch secret ${input.secrets.sessionSecretArn} --region eu-west-1 --out /run/expense-tracker-secrets/session-secret --mode 0600`,
      `/usr/local/bin/et-fetch secret ${input.secrets.ownerPasswordArn} --region eu-west-1 --out /run/expense-tracker-secrets/owner-password --mode 0600`,
      `/usr/local/bin/et-fetch secret ${input.secrets.originVerifyArn} --region eu-west-1 --out /run/expense-tracker-secrets/origin-verify --mode 0600`,
      `/usr/local/bin/et-fetch secret ${input.secrets.dbAppPasswordArn} --region eu-west-1 --out /run/expense-tracker-secrets/db-password --mode 0600`,
      `${PATHS.originVerifyScript} /run/expense-tracker-secrets/origin-verify ${PATHS.originVerifyInclude}`,
      "/usr/sbin/nginx -t -q",
      "/usr/bin/systemctl --no-block try-reload-or-restart nginx.service",
    ]);
  });
});

describe("the migration unit", () => {
  it("runs the artifact's migrate command as root, once per start of the service, between the secrets and the service", () => {
    expect(directives(migrate, "Type")).toEqual(["oneshot"]);
    expect(directives(migrate, "RemainAfterExit")).toEqual(["yes"]);
    expect(directives(migrate, "User")).toEqual([]);
    expect(directives(migrate, "After")).toEqual([
      "network-online.target expense-tracker-secrets.service",
    ]);
    expect(directives(migrate, "Requires")).toEqual(["expense-tracker-secrets.service"]);
    expect(directives(migrate, "Before")).toEqual(["expense-tracker.service"]);
    expect(directives(migrate, "PartOf")).toEqual(["expense-tracker.service"]);
    expect(directives(migrate, "EnvironmentFile")).toEqual([PATHS.migrateEnvFile]);
    expect(directives(migrate, "ExecStart")).toEqual([
      `${PATHS.node} ${PATHS.artifact} migrate --app-role expense_app --app-password-file /run/expense-tracker-secrets/db-password --wait 900`,
    ]);
  });

  it("gives the command's own bounded wait for PostgreSQL time to end, then restarts it", () => {
    expect(Number(directives(migrate, "TimeoutStartSec")[0])).toBeGreaterThan(900);
    expect(directives(migrate, "Restart")).toEqual(["on-failure"]);
  });

  it("is root without capabilities, on a read-only system", () => {
    expect(directives(migrate, "CapabilityBoundingSet")).toEqual([""]);
    expect(directives(migrate, "NoNewPrivileges")).toEqual(["yes"]);
    expect(directives(migrate, "ProtectSystem")).toEqual(["strict"]);
  });

  it("signs in as the master user, its password fetched from the RDS-managed secret", () => {
    const env = renderMigrateEnvFile(input);
    expect(env).toContain(
      `DATABASE_URL=postgres://expense_admin@${input.database.host}:5432/expenses\n`,
    );
    expect(env).toContain("DATABASE_CA_FILE=/etc/expense-tracker/rds-ca.pem\n");
    expect(env).toContain(
      `DATABASE_PASSWORD_COMMAND="/usr/local/bin/et-fetch secret ${input.database.secretArn} --region eu-west-1 --json-key password"\n`,
    );
    const file = instanceFiles(input).find((f) => f.path === PATHS.migrateEnvFile);
    expect(file).toMatchObject({ permissions: "0600", content: env });
    expect(file?.owner).toBeUndefined();
  });
});

describe("the environment file", () => {
  it("points the service at RDS with TLS as the app role, with no password and no migrations", () => {
    const env = renderEnvFile(input);
    expect(env).toContain(
      `DATABASE_URL=postgres://expense_app@${input.database.host}:5432/expenses\n`,
    );
    expect(env).toContain("DATABASE_CA_FILE=/etc/expense-tracker/rds-ca.pem\n");
    expect(env).toContain("MIGRATIONS=external\n");
    expect(env).not.toContain("DATABASE_PASSWORD_COMMAND");
    expect(env).not.toContain(input.database.secretArn);
    expect(env).not.toContain("expense_admin");
    expect(env).toContain("HOST=127.0.0.1\n");
    expect(env).toContain("PORT=3000\n");
    expect(env).toContain("TRUST_PROXY=2\n");
    expect(env).toContain("OWNER_EMAIL=owner@example.com\n");
    expect(env).toContain("LOG_LEVEL=info\n");
    expect(env).not.toContain("PUBLIC_URL");
  });

  it("names the site's address as PUBLIC_URL when the stack knows it", () => {
    const env = renderEnvFile({ ...input, publicUrl: "https://money.example.com" });
    expect(env).toContain("PUBLIC_URL=https://money.example.com\n");
  });
});

// systemd-analyze verify needs the units' executables and systemd's own units; an alternate
// root with stubs of the former and a copy of the latter gives it both.
const systemdAnalyze = findTool("systemd-analyze");
const systemUnits = ["/usr/lib/systemd/system", "/lib/systemd/system"].find((d) =>
  existsSync(join(d, "sysinit.target")),
);

describe.runIf(systemdAnalyze && systemUnits)("systemd-analyze", () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "et-systemd-test-"));
    cpSync(systemUnits as string, join(root, "usr/lib/systemd/system"), { recursive: true });
    for (const exe of [
      PATHS.node,
      PATHS.etFetch,
      PATHS.originVerifyScript,
      "/usr/sbin/nginx",
      "/usr/bin/systemctl",
    ]) {
      mkdirSync(dirname(join(root, exe)), { recursive: true });
      writeFileSync(join(root, exe), "#!/bin/sh\n", { mode: 0o755 });
    }
    mkdirSync(join(root, "etc/systemd/system"), { recursive: true });
    writeFileSync(join(root, PATHS.serviceUnit), service);
    writeFileSync(join(root, PATHS.secretsUnit), secrets);
    writeFileSync(join(root, PATHS.migrateUnit), migrate);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("verifies the three units without a warning", () => {
    const r = run(systemdAnalyze as string, [
      "verify",
      "--man=no",
      `--root=${root}`,
      "expense-tracker.service",
      "expense-tracker-secrets.service",
      "expense-tracker-migrate.service",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("rates the service unit's exposure OK (below 2.0)", () => {
    const r = run(systemdAnalyze as string, [
      "security",
      "--offline=true",
      `--root=${root}`,
      "expense-tracker.service",
    ]);
    const level = Number((r.stdout + r.stderr).match(/exposure level for [^:]+: ([\d.]+)/)?.[1]);
    expect(level).toBeLessThan(2);
  });
});

describe("restarts while the database or Secrets Manager is not answering yet", () => {
  /** Directives of one [Section] of a unit. */
  const section = (unit: string, name: string) =>
    unit.split(`[${name}]`)[1]?.split(/^\[/m)[0] ?? "";

  it.each([
    ["service", service],
    ["secrets", secrets],
    ["migration", migrate],
  ])(
    "the %s unit restarts on failure without a start limit that would give up for good",
    (_, unit) => {
      const head = section(unit, "Unit");
      expect(directives(head, "StartLimitIntervalSec")).toEqual(["0"]);
      expect(directives(head, "StartLimitBurst")).toEqual([]);
      const body = section(unit, "Service");
      expect(directives(body, "Restart")).toEqual(["on-failure"]);
      expect(Number(directives(body, "RestartSec")[0])).toBeGreaterThanOrEqual(2);
    },
  );
});
