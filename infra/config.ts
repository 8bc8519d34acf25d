// Stack configuration: every key is checked here, before any resource is declared.
import { isIPv4 } from "node:net";
import { type DbRestoreRequest, parseRestore, RESTORE_KEYS } from "./database-restore.ts";

export const PROJECT = "expense-tracker";

/** Instance types the web server may use; `g` types are arm64 (Graviton). */
export const INSTANCE_TYPES = [
  "t3.micro",
  "t3.small",
  "t3.medium",
  "t4g.micro",
  "t4g.small",
  "t4g.medium",
] as const;
/** RDS classes the database may use. */
export const DB_INSTANCE_CLASSES = [
  "db.t4g.micro",
  "db.t4g.small",
  "db.t4g.medium",
  "db.t3.micro",
  "db.t3.small",
] as const;
/** PostgreSQL major versions RDS offers that this program has parameter-group families for. */
export const DB_ENGINE_VERSIONS = ["16", "17", "18"] as const;
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
/** Retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export interface StackConfig {
  /** Where alarms and the budget alert are e-mailed. Required. */
  alertEmail: string;
  /** The owner account created on first boot. Required. */
  ownerEmail: string;
  /** Web server instance type. Default `t3.micro`. */
  instanceType: (typeof INSTANCE_TYPES)[number];
  /** CPU architecture implied by the instance type. */
  arch: "x86_64" | "arm64";
  /** RDS instance class. Default `db.t4g.micro`. */
  dbInstanceClass: (typeof DB_INSTANCE_CLASSES)[number];
  /** PostgreSQL major version. Default `18`. */
  dbEngineVersion: (typeof DB_ENGINE_VERSIONS)[number];
  /** Database storage in GiB, 20-1000. Default 20. */
  dbAllocatedStorage: number;
  /** Days of automated backups, 1-35. Default 7. */
  dbBackupRetentionDays: number;
  /** RDS deletion protection plus Pulumi `protect` on the database and secrets. Default false. */
  deletionProtection: boolean;
  /** A final snapshot of the database on destroy. Default: on when `deletionProtection` is. */
  dbFinalSnapshot: boolean;
  /**
   * Create the database from an RDS snapshot (`dbRestoreSnapshot`) or as it was at a time
   * (`dbRestoreTime`, of `dbRestoreSource` or of the stack's own instance). Default: no restore.
   */
  dbRestore: DbRestoreRequest | undefined;
  /** Keep the automated backups after the database is deleted. Default: on when `deletionProtection` is. */
  dbKeepAutomatedBackups: boolean;
  /**
   * Database changes (class, storage, version) happen during `pulumi up` instead of in the next
   * maintenance window. Default true; Pulumi.prod.yaml sets false.
   */
  applyImmediately: boolean;
  /** The VPC's address range (a /16 to /24). Default `10.20.0.0/16`. */
  vpcCidr: string;
  /** Opens SSH to this CIDR only (with `sshPublicKey`). Default: no SSH; use SSM Session Manager. */
  ssh: { cidr: string; publicKey: string } | undefined;
  /** A custom domain served over HTTPS (with `hostedZoneId`). Default: the CloudFront domain. */
  domain: { name: string; hostedZoneId: string } | undefined;
  /** The service's log level. Default `info`. */
  logLevel: (typeof LOG_LEVELS)[number];
  /** CPU percentage above which the web server's CPU alarm fires, 1-100. Default 70. */
  cpuAlarmThreshold: number;
  /** One-minute EC2 metrics (about $2 a month), so the CPU alarm fires within ~3 minutes. Default true. */
  detailedMonitoring: boolean;
  /** Days CloudWatch keeps the logs; one of LOG_RETENTION_DAYS. Default 14. */
  logRetentionDays: number;
  /** HTTP 5xx answers in 5 minutes above which the 5xx alarm fires, 1-10000. Default 10. */
  http5xxThreshold: number;
  /** VPC flow logs to CloudWatch, kept `logRetentionDays`. Default false (they cost per GB). */
  vpcFlowLogs: boolean;
  /** Monthly AWS cost in USD that triggers the budget e-mail, 1-100000. Default 60 (the defaults cost about 40, so 80% is not reached in a normal month). */
  monthlyBudgetUsd: number;
}

export class StackConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid stack configuration:\n  ${problems.join("\n  ")}`);
    this.name = "StackConfigError";
  }
}

export type RawConfig = Record<string, string | undefined>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The stack files' placeholder: valid syntax, but nobody reads its mail. */
const PLACEHOLDER_EMAIL = "you@example.com";
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** `10.0.0.0/16` style, with the address aligned to its prefix. */
export function isCidr(value: string, minPrefix = 0, maxPrefix = 32): boolean {
  const [ip, bits, ...rest] = value.split("/");
  if (!ip || bits === undefined || rest.length > 0 || !isIPv4(ip) || !/^\d{1,2}$/.test(bits))
    return false;
  const prefix = Number(bits);
  if (prefix < minPrefix || prefix > maxPrefix) return false;
  const n = ip.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  const hostBits = 32 - prefix;
  return hostBits === 32 ? n === 0 : n % 2 ** hostBits === 0;
}

/**
 * Checks every key and returns the typed configuration, or throws one StackConfigError listing
 * each problem as `<project>:<key> "<value>" <what is wrong and what is allowed>`.
 */
export function validateConfig(raw: RawConfig, ownerPassword: string | undefined): StackConfig {
  const problems: string[] = [];
  const key = (k: string) => `${PROJECT}:${k}`;
  const bad = (k: string, message: string) =>
    problems.push(`${key(k)} "${raw[k] ?? ""}" ${message}`);
  const missing = (k: string, example: string) =>
    problems.push(`${key(k)} is required: pulumi config set ${k} ${example}`);

  const email = (k: string): string => {
    const v = raw[k]?.trim();
    if (!v) missing(k, "<your address>");
    else if (!EMAIL.test(v)) bad(k, "is not an email address");
    else if (v.toLowerCase() === PLACEHOLDER_EMAIL)
      bad(k, "is the stack file's placeholder: set your own address");
    return v ?? "";
  };
  const oneOf = <T extends string>(k: string, allowed: readonly T[], fallback: T): T => {
    const v = raw[k] ?? fallback;
    if (!allowed.includes(v as T)) bad(k, `is not allowed; use one of ${allowed.join(", ")}`);
    return v as T;
  };
  const integer = (k: string, min: number, max: number, fallback: number): number => {
    const v = raw[k];
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      bad(k, `is not a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(v);
  };
  const bool = (k: string, fallback: boolean): boolean => {
    const v = raw[k];
    if (v === undefined) return fallback;
    if (v !== "true" && v !== "false") bad(k, "is not true or false");
    return v === "true";
  };
  const pair = (a: string, b: string): boolean => {
    if ((raw[a] === undefined) !== (raw[b] === undefined)) {
      problems.push(`${key(a)} and ${key(b)} go together: set both, or neither`);
      return false;
    }
    return raw[a] !== undefined;
  };

  const alertEmail = email("alertEmail");
  // Never echo a secret's value in an error.
  if (ownerPassword === undefined) missing("ownerPassword", "--secret");
  else if (ownerPassword.length < 8 || ownerPassword.length > 200) {
    problems.push(`${key("ownerPassword")} must be 8 to 200 characters (its value is not shown)`);
  }
  const ownerEmail = email("ownerEmail");
  const instanceType = oneOf("instanceType", INSTANCE_TYPES, "t3.micro");
  const dbInstanceClass = oneOf("dbInstanceClass", DB_INSTANCE_CLASSES, "db.t4g.micro");
  const dbEngineVersion = oneOf("dbEngineVersion", DB_ENGINE_VERSIONS, "18");
  const dbAllocatedStorage = integer("dbAllocatedStorage", 20, 1000, 20);
  const dbBackupRetentionDays = integer("dbBackupRetentionDays", 1, 35, 7);
  const deletionProtection = bool("deletionProtection", false);
  const dbFinalSnapshot = bool("dbFinalSnapshot", deletionProtection);
  const dbKeepAutomatedBackups = bool("dbKeepAutomatedBackups", deletionProtection);
  // A protected database is one whose data must survive: its destroy never loses the data.
  if (deletionProtection && !dbFinalSnapshot)
    bad("dbFinalSnapshot", "must be true while deletionProtection is true");
  if (deletionProtection && !dbKeepAutomatedBackups)
    bad("dbKeepAutomatedBackups", "must be true while deletionProtection is true");
  const dbRestore = parseRestore(raw, bad);
  const applyImmediately = bool("applyImmediately", true);
  const logLevel = oneOf("logLevel", LOG_LEVELS, "info");
  const cpuAlarmThreshold = integer("cpuAlarmThreshold", 1, 100, 70);
  const detailedMonitoring = bool("detailedMonitoring", true);
  const logRetentionDays = integer("logRetentionDays", 1, 3653, 14);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    bad(
      "logRetentionDays",
      `is not a retention CloudWatch offers; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
  }
  const http5xxThreshold = integer("http5xxThreshold", 1, 10_000, 10);
  const monthlyBudgetUsd = integer("monthlyBudgetUsd", 1, 100_000, 60);
  const vpcFlowLogs = bool("vpcFlowLogs", false);
  const vpcCidr = raw.vpcCidr ?? "10.20.0.0/16";
  if (!isCidr(vpcCidr, 16, 24))
    bad("vpcCidr", "is not an IPv4 CIDR block from /16 to /24, such as 10.20.0.0/16");

  let ssh: StackConfig["ssh"];
  if (pair("sshCidr", "sshPublicKey")) {
    const cidr = raw.sshCidr ?? "";
    const publicKey = raw.sshPublicKey?.trim() ?? "";
    if (!isCidr(cidr, 8, 32) || cidr === "0.0.0.0/0") {
      bad(
        "sshCidr",
        "is not an IPv4 CIDR block from /8 to /32 (the whole internet is not allowed), such as 203.0.113.7/32",
      );
    }
    if (
      !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/.test(publicKey)
    ) {
      problems.push(
        `${key("sshPublicKey")} is not an OpenSSH public key (ssh-ed25519 AAAA..., ssh-rsa AAAA... or ecdsa-sha2-...)`,
      );
    }
    ssh = { cidr, publicKey };
  }

  let domain: StackConfig["domain"];
  if (pair("domainName", "hostedZoneId")) {
    const name = (raw.domainName ?? "").toLowerCase();
    if (!DOMAIN.test(name)) bad("domainName", "is not a domain name such as money.example.com");
    if (!/^Z[A-Z0-9]{1,31}$/.test(raw.hostedZoneId ?? "")) {
      bad("hostedZoneId", "is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
    }
    domain = { name, hostedZoneId: raw.hostedZoneId ?? "" };
  }

  if (problems.length > 0) throw new StackConfigError(problems);
  return {
    alertEmail,
    ownerEmail: ownerEmail.toLowerCase(),
    instanceType,
    arch: instanceType.startsWith("t4g.") ? "arm64" : "x86_64",
    dbInstanceClass,
    dbEngineVersion,
    dbAllocatedStorage,
    dbBackupRetentionDays,
    deletionProtection,
    dbFinalSnapshot,
    dbKeepAutomatedBackups,
    dbRestore,
    applyImmediately,
    vpcCidr,
    ssh,
    domain,
    logLevel,
    cpuAlarmThreshold,
    detailedMonitoring,
    logRetentionDays,
    http5xxThreshold,
    monthlyBudgetUsd,
    vpcFlowLogs,
  };
}

/** The keys `validateConfig` reads (secrets such as `ownerPassword` are read separately). */
export const CONFIG_KEYS = [
  "alertEmail",
  "ownerEmail",
  "instanceType",
  "dbInstanceClass",
  "dbEngineVersion",
  "dbAllocatedStorage",
  "dbBackupRetentionDays",
  "deletionProtection",
  "dbFinalSnapshot",
  "dbKeepAutomatedBackups",
  "applyImmediately",
  "vpcCidr",
  "sshCidr",
  "sshPublicKey",
  "domainName",
  "hostedZoneId",
  "logLevel",
  "cpuAlarmThreshold",
  "detailedMonitoring",
  "logRetentionDays",
  "http5xxThreshold",
  "monthlyBudgetUsd",
  "vpcFlowLogs",
  ...RESTORE_KEYS,
] as const;
