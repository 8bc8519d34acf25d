// The instance's user data: one #cloud-config document that installs nginx, writes et-fetch,
// the units, the nginx site and the boot script, creates the service user and runs the boot
// script. It names secrets by ARN only; the instance fetches them with its role.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { renderBootScript } from "./boot-script.ts";
import { renderCloudWatchAgentConfig, renderServiceLogrotate } from "./cloudwatch-agent.ts";
import { checkUserDataInput, type UserDataInput } from "./input.ts";
import { renderMigrateEnvFile, renderMigrateUnit } from "./migrate-unit.ts";
import {
  renderNginxSite,
  renderOriginVerifyPlaceholder,
  renderOriginVerifyScript,
} from "./nginx.ts";
import { renderAutoUpgrades, renderUnattendedUpgrades } from "./os-updates.ts";
import { PATHS, SERVICE_USER } from "./paths.ts";
import { renderEnvFile, renderSecretsUnit, renderServiceUnit, renderTmpfiles } from "./systemd.ts";
import { toYaml, type YamlValue } from "./yaml.ts";

export type { UserDataInput } from "./input.ts";

/** EC2's limit on user data, in bytes before base64 (here: the gzipped bytes). */
export const USER_DATA_LIMIT_BYTES = 16_384;

const ET_FETCH_SOURCE = readFileSync(new URL("./et-fetch.mjs", import.meta.url), "utf8");

/** `/usr/local/bin/et-fetch` as written on the instance: the source, run by the pinned Node. */
export function renderEtFetch(): string {
  return `#!${PATHS.node}\n${ET_FETCH_SOURCE}`;
}

interface InstanceFile {
  path: string;
  owner?: string;
  permissions: string;
  content: string;
}

/** Every file cloud-init writes, in the order it writes them. */
export function instanceFiles(input: UserDataInput): InstanceFile[] {
  return [
    { path: PATHS.etFetch, permissions: "0755", content: renderEtFetch() },
    { path: PATHS.bootScript, permissions: "0700", content: renderBootScript(input) },
    { path: PATHS.originVerifyScript, permissions: "0755", content: renderOriginVerifyScript() },
    // systemd reads it as root; the group lets the service user read it, nobody else can.
    {
      path: PATHS.envFile,
      owner: `root:${SERVICE_USER}`,
      permissions: "0640",
      content: renderEnvFile(input),
    },
    // Root only: it names the master user and its secret.
    { path: PATHS.migrateEnvFile, permissions: "0600", content: renderMigrateEnvFile(input) },
    { path: PATHS.secretsUnit, permissions: "0644", content: renderSecretsUnit(input) },
    { path: PATHS.migrateUnit, permissions: "0644", content: renderMigrateUnit(input) },
    { path: PATHS.serviceUnit, permissions: "0644", content: renderServiceUnit() },
    { path: PATHS.tmpfiles, permissions: "0644", content: renderTmpfiles() },
    { path: PATHS.nginxSite, permissions: "0644", content: renderNginxSite() },
    {
      path: PATHS.originVerifyInclude,
      permissions: "0640",
      content: renderOriginVerifyPlaceholder(),
    },
    {
      path: PATHS.cloudWatchAgentConfig,
      permissions: "0644",
      content: renderCloudWatchAgentConfig(input.logGroupName, input.logRetentionDays),
    },
    { path: PATHS.serviceLogrotate, permissions: "0644", content: renderServiceLogrotate() },
    { path: PATHS.autoUpgrades, permissions: "0644", content: renderAutoUpgrades() },
    {
      path: PATHS.unattendedUpgrades,
      permissions: "0644",
      content: renderUnattendedUpgrades(),
    },
  ];
}

/** The #cloud-config YAML text. Throws, naming the key, on any input it cannot carry safely. */
export function renderCloudConfig(input: UserDataInput): string {
  checkUserDataInput(input);
  const config: Record<string, YamlValue> = {
    timezone: "UTC",
    package_update: true,
    // Security updates come from unattended-upgrades; a full upgrade would slow every boot.
    package_upgrade: false,
    packages: ["nginx", "ca-certificates", "curl", "unattended-upgrades"],
    users: [
      "default",
      {
        name: SERVICE_USER,
        system: true,
        homedir: "/nonexistent",
        no_create_home: true,
        shell: "/usr/sbin/nologin",
        lock_passwd: true,
      },
    ],
    // Deferred to cloud-init's final stage: after the service user exists and the packages are
    // installed, so owners resolve and nginx's package never meets our site half-configured.
    write_files: instanceFiles(input).map((f) => ({
      path: f.path,
      owner: f.owner ?? "root:root",
      permissions: f.permissions,
      defer: true,
      content: f.content,
    })),
    runcmd: [[PATHS.bootScript]],
  };
  return `#cloud-config\n# Expense tracker instance. Rendered by infra/instance/user-data.ts; holds no secrets.\n${toYaml(config)}`;
}

export interface RenderedUserData {
  /** The #cloud-config text. */
  text: string;
  /** gzip of `text`, base64: for the instance's `userDataBase64`. */
  gzipBase64: string;
  /** Size of the gzipped bytes, which EC2 limits to 16384. */
  gzipBytes: number;
}

/** The user data, gzipped for `userDataBase64`. Throws when it would exceed EC2's limit. */
export function renderUserData(input: UserDataInput): RenderedUserData {
  const text = renderCloudConfig(input);
  const gzipped = gzipSync(text, { level: 9 });
  if (gzipped.length > USER_DATA_LIMIT_BYTES) {
    throw new Error(
      `user data: ${gzipped.length} bytes gzipped, over EC2's limit of ${USER_DATA_LIMIT_BYTES}`,
    );
  }
  return { text, gzipBase64: gzipped.toString("base64"), gzipBytes: gzipped.length };
}
