// What the Pulumi program tells the instance, checked once before anything is rendered. Every
// value ends up in unit files, an environment file or a shell script, so each is held to a
// character set with no meaning in any of them. Nothing here is secret: secrets are named by ARN
// and fetched on the instance, with its role, when the service starts.
import type { Arch } from "./node-runtime.ts";

export interface UserDataInput {
  /** EC2 architecture of the instance type; picks the Node.js tarball. */
  arch: Arch;
  /** AWS region, e.g. `eu-west-1`: the S3 and Secrets Manager endpoints and the RDS CA bundle. */
  region: string;
  /** The service artifact in S3 (`buildService()`'s sha256). */
  artifact: { bucket: string; key: string; sha256: string };
  /**
   * The RDS instance. `user` is the master user, whose password is in the RDS-managed secret
   * `secretArn` (JSON key `password`): only the root migration unit uses it. `appUser` is the
   * restricted role the service connects as (its password is `secrets.dbAppPasswordArn`).
   */
  database: {
    host: string;
    port: number;
    name: string;
    user: string;
    appUser: string;
    secretArn: string;
  };
  /**
   * Secrets Manager secrets: session key (32+ chars), owner password, CloudFront origin secret,
   * and the app role's database password.
   */
  secrets: {
    sessionSecretArn: string;
    ownerPasswordArn: string;
    originVerifyArn: string;
    dbAppPasswordArn: string;
  };
  /** The owner account created at first start (its password is `secrets.ownerPasswordArn`). */
  ownerEmail: string;
  /** Proxy hops in front of the service: browser → CloudFront → nginx → service is 2. */
  trustProxy: number;
  /** PUBLIC_URL of the service, e.g. `https://money.example.com`. Default none (any host). */
  publicUrl?: string | undefined;
  /** `debug`, `info`, `warn`, `error` or `silent`. Default `info`. */
  logLevel?: string;
  /** CloudWatch log group the agent ships the service's and nginx's logs to. */
  logGroupName: string;
  /** The group's retention in days, which the agent applies if it ever has to create the group. */
  logRetentionDays: number;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"];

/** Throws one Error listing every bad value, by its key, with what it accepts. */
export function checkUserDataInput(input: UserDataInput): void {
  const problems: string[] = [];
  const check = (ok: boolean, key: string, value: unknown, expected: string) => {
    if (!ok) problems.push(`${key}=${JSON.stringify(value)}: expected ${expected}`);
  };
  const { artifact, database, secrets } = input;
  check(input.arch === "x86_64" || input.arch === "arm64", "arch", input.arch, "x86_64 or arm64");
  check(REGION.test(input.region), "region", input.region, "a region such as eu-west-1");
  check(
    /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(artifact.bucket),
    "artifact.bucket",
    artifact.bucket,
    "a bucket name of lower-case letters, digits and dashes (no dots)",
  );
  check(
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,511}$/.test(artifact.key) && !artifact.key.includes(".."),
    "artifact.key",
    artifact.key,
    "an S3 key of letters, digits, . _ / -",
  );
  check(
    /^[0-9a-f]{64}$/.test(artifact.sha256),
    "artifact.sha256",
    artifact.sha256,
    "64 hex digits",
  );
  check(HOSTNAME.test(database.host), "database.host", database.host, "a host name");
  check(
    /^[a-z_][a-z0-9_]{0,62}$/.test(database.appUser) && database.appUser !== database.user,
    "database.appUser",
    database.appUser,
    "a role of lower-case letters, digits and _, other than the master user",
  );
  check(
    /^[A-Za-z0-9_\-/.#]{1,512}$/.test(input.logGroupName),
    "logGroupName",
    input.logGroupName,
    "a log group name of letters, digits and _ - / . #",
  );
  check(
    Number.isInteger(input.logRetentionDays) && input.logRetentionDays > 0,
    "logRetentionDays",
    input.logRetentionDays,
    "a whole number of days",
  );
  check(
    Number.isInteger(database.port) && database.port > 0 && database.port < 65536,
    "database.port",
    database.port,
    "a port number",
  );
  for (const key of ["name", "user", "appUser"] as const) {
    check(
      /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database[key]),
      `database.${key}`,
      database[key],
      "a PostgreSQL identifier (letters, digits, _)",
    );
  }
  const arns = {
    "database.secretArn": database.secretArn,
    "secrets.sessionSecretArn": secrets.sessionSecretArn,
    "secrets.ownerPasswordArn": secrets.ownerPasswordArn,
    "secrets.originVerifyArn": secrets.originVerifyArn,
    "secrets.dbAppPasswordArn": secrets.dbAppPasswordArn,
  };
  for (const [key, arn] of Object.entries(arns)) {
    check(ARN.test(arn), key, arn, "a Secrets Manager secret ARN");
  }
  check(
    /^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(input.ownerEmail),
    "ownerEmail",
    input.ownerEmail,
    "an email address (letters, digits, . _ + - before the @)",
  );
  check(
    Number.isInteger(input.trustProxy) && input.trustProxy >= 0 && input.trustProxy <= 10,
    "trustProxy",
    input.trustProxy,
    "a whole number of proxy hops, 0 to 10",
  );
  if (input.publicUrl !== undefined) {
    const host = input.publicUrl.replace(/^https:\/\//, "");
    check(
      input.publicUrl.startsWith("https://") && HOSTNAME.test(host),
      "publicUrl",
      input.publicUrl,
      "https:// and a host name, such as https://money.example.com",
    );
  }
  const logLevel = input.logLevel ?? "info";
  check(LOG_LEVELS.includes(logLevel), "logLevel", logLevel, LOG_LEVELS.join(", "));
  if (problems.length > 0) throw new Error(`user data: ${problems.join("; ")}`);
}
