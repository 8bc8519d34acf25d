import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { DbRestore } from "./database-restore.ts";
import {
  DB_BACKUP_WINDOW,
  DB_MAINTENANCE_WINDOW,
  databaseIdentifier,
  finalSnapshotIdentifier,
  postgresLogGroupName,
  restoredIdentifier,
  restoreTag,
} from "./database-rules.ts";
import { tags } from "./tags.ts";

export interface DatabaseArgs {
  subnetIds: pulumi.Input<string>[];
  securityGroupId: pulumi.Input<string>;
  /** RDS instance class, e.g. `db.t4g.micro`. */
  instanceClass: string;
  /** PostgreSQL major version, e.g. `18`. */
  engineVersion: string;
  /** GiB of gp3 storage. */
  allocatedStorage: number;
  /** Days of automated backups. */
  backupRetentionDays: number;
  /** RDS deletion protection and Pulumi `protect`. */
  protect: boolean;
  /** A final snapshot on destroy. */
  finalSnapshot: boolean;
  /** Keep the automated backups after the instance is deleted (they expire with their retention). */
  keepAutomatedBackups: boolean;
  /** Apply changes during the deploy instead of in the next maintenance window. */
  applyImmediately: boolean;
  /** This deploy moves to a new major version (see `isMajorUpgrade`). */
  majorUpgrade: boolean;
  /** Days CloudWatch keeps the exported PostgreSQL log. */
  logRetentionDays: number;
  /**
   * The identifier of the instance this stack already runs, kept so that it is not replaced.
   * Default none: a new instance gets `<name>-<stack>-<suffix>`.
   */
  deployedIdentifier?: string | undefined;
  /** The snapshot or point in time the instance is created from (see database-rules.ts, resolveRestore). */
  restore?: DbRestore | undefined;
  /**
   * The restore is not the one the deployed instance came from: the instance is replaced by a new
   * one, under a new identifier, created from it.
   */
  newRestore?: boolean;
}

export const DATABASE_NAME = "expenses";
/** The master user: owns the tables; only the migration unit signs in as it. */
export const DATABASE_USER = "expense_admin";
/** The restricted role the service connects as, created by the migration unit. */
export const DATABASE_APP_USER = "expense_app";

/**
 * RDS PostgreSQL in the private subnets: encrypted gp3, never public, TLS forced by its parameter
 * group, and a master password that RDS itself keeps (and rotates) in Secrets Manager, so no
 * password appears in config, state, user data or outputs.
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  /** Secrets Manager ARN of the RDS-managed master credentials (JSON with username and password). */
  readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:database:Database", name, {}, opts);
    const parent = { parent: this };
    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        subnetIds: args.subnetIds,
        description: "Private subnets of the expense tracker",
        tags: tags(`${name}-subnets`),
      },
      parent,
    );
    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: `postgres${args.engineVersion}`,
        description: "Expense tracker: TLS required",
        parameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }],
        tags: tags(`${name}-params`),
      },
      parent,
    );
    // Identifiers are unique per account: each stack gets its own suffix, once.
    const suffix = new random.RandomId(`${name}-final-snapshot`, { byteLength: 4 }, parent);
    const base = args.deployedIdentifier
      ? pulumi.output(args.deployedIdentifier)
      : suffix.hex.apply((hex) => databaseIdentifier(name, pulumi.getStack(), hex));
    const { restore } = args;
    const identifier =
      restore && args.newRestore ? base.apply((b) => restoredIdentifier(b, restore)) : base;
    // Each restored instance leaves its own final snapshot: the name of the one it replaced is taken.
    const snapshotSuffix = (hex: string) => (restore ? `${hex}-r${restoreTag(restore)}` : hex);
    // Before the instance: the group RDS would create itself keeps the log forever.
    const postgresLog = new aws.cloudwatch.LogGroup(
      `${name}-postgres-log`,
      {
        name: identifier.apply(postgresLogGroupName),
        retentionInDays: args.logRetentionDays,
        tags: tags(`${name}-postgres-log`),
      },
      parent,
    );
    this.instance = new aws.rds.Instance(
      `${name}-postgres`,
      {
        identifier,
        enabledCloudwatchLogsExports: ["postgresql"],
        engine: "postgres",
        engineVersion: args.engineVersion,
        instanceClass: args.instanceClass,
        allocatedStorage: args.allocatedStorage,
        storageType: "gp3",
        storageEncrypted: true,
        dbName: DATABASE_NAME,
        username: DATABASE_USER,
        manageMasterUserPassword: true,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        multiAz: false,
        backupRetentionPeriod: args.backupRetentionDays,
        backupWindow: DB_BACKUP_WINDOW,
        maintenanceWindow: DB_MAINTENANCE_WINDOW,
        autoMinorVersionUpgrade: true,
        allowMajorVersionUpgrade: args.majorUpgrade,
        // Off, a class or storage change waits for the maintenance window while `pulumi up`
        // reports success.
        applyImmediately: args.applyImmediately,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        copyTagsToSnapshot: true,
        deletionProtection: args.protect,
        skipFinalSnapshot: !args.finalSnapshot,
        finalSnapshotIdentifier: args.finalSnapshot
          ? suffix.hex.apply((hex) =>
              finalSnapshotIdentifier(name, pulumi.getStack(), snapshotSuffix(hex)),
            )
          : undefined,
        deleteAutomatedBackups: !args.keepAutomatedBackups,
        ...(restore && "snapshot" in restore ? { snapshotIdentifier: restore.snapshot } : {}),
        ...(restore && "source" in restore
          ? {
              restoreToPointInTime:
                restore.time === "latest"
                  ? { sourceDbInstanceIdentifier: restore.source, useLatestRestorableTime: true }
                  : { sourceDbInstanceIdentifier: restore.source, restoreTime: restore.time },
            }
          : {}),
        tags: tags(`${name}-postgres`),
      },
      { ...parent, protect: args.protect, dependsOn: [postgresLog] },
    );
    this.secretArn = this.instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets?.[0]?.secretArn;
      // Unknown during a preview of a new stack; RDS always reports it once created.
      return arn ?? "";
    });
    this.registerOutputs({ endpoint: this.instance.address, secretArn: this.secretArn });
  }
}
