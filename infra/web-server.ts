import { fileURLToPath } from "node:url";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { renderUserData, type UserDataInput } from "./instance/user-data.ts";
import { tags } from "./tags.ts";

export interface WebServerArgs {
  subnetId: pulumi.Input<string>;
  securityGroupId: pulumi.Input<string>;
  instanceType: string;
  arch: "x86_64" | "arm64";
  /** The artifact in S3 and its sha256. */
  artifact: {
    bucket: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
    key: string;
    sha256: string;
  };
  database: {
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    name: string;
    /** The master user (the migration unit's). */
    user: string;
    /** The restricted role the service connects as. */
    appUser: string;
    secretArn: pulumi.Input<string>;
  };
  secrets: {
    sessionSecretArn: pulumi.Input<string>;
    ownerPasswordArn: pulumi.Input<string>;
    originVerifyArn: pulumi.Input<string>;
    dbAppPasswordArn: pulumi.Input<string>;
  };
  ownerEmail: string;
  logLevel: string;
  /** Proxy hops in front of the service: CloudFront and nginx. */
  trustProxy: number;
  /** The site's address (PUBLIC_URL) when the stack knows it; default none (any host). */
  publicUrl?: string | undefined;
  /** One-minute CloudWatch metrics. Default true. */
  detailedMonitoring?: boolean;
  /** CloudWatch log group the agent ships the service's and nginx's logs to. */
  logGroupName: pulumi.Input<string>;
  logRetentionDays: number;
  /** SSH public key for the `ubuntu` user (only with an sshCidr rule). */
  sshPublicKey?: string | undefined;
  /** What must exist before the instance boots (the secrets' values, for one). */
  dependsOn?: pulumi.Resource[];
}

/** The project root (this file is in infra/): where the readiness command runs. */
const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Canonical's AWS account, which publishes the official Ubuntu images. */
export const CANONICAL_OWNER_ID = "099720109477";

/**
 * The EC2 instance running nginx and the service, configured entirely by cloud-init. Its role can
 * read only the artifact and this stack's secrets, plus what SSM and the CloudWatch agent need;
 * only root units use it (the web service's unit cannot reach the instance metadata).
 * An Elastic IP gives CloudFront an origin name that survives a stop/start and a replacement.
 */
export class WebServer extends pulumi.ComponentResource {
  readonly instance: aws.ec2.Instance;
  readonly role: aws.iam.Role;
  /** The stable public address (CloudFront's origin). */
  readonly address: aws.ec2.Eip;
  /**
   * The instance that serves: the one the Elastic IP is associated with. It moves to a new
   * instance only once that one is ready, so alarms, the dashboard and the operator commands that
   * follow it never watch a replacement that never got ready while the old one serves.
   */
  readonly servingInstanceId: pulumi.Output<string>;
  /** The Elastic IP's association, made once the instance is ready: the site serves after it. */
  readonly association: aws.ec2.EipAssociation;
  /** Size of the gzip-compressed user data in bytes (EC2 allows 16384). */
  readonly userDataBytes: pulumi.Output<number>;

  constructor(name: string, args: WebServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:web:WebServer", name, {}, opts);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;
    const awsProfile = new pulumi.Config("aws").get("profile");

    const { role, grants } = this.createRole(name, args, partition);
    this.role = role;
    const profile = new aws.iam.InstanceProfile(
      `${name}-profile`,
      { role: role.name, tags: tags(`${name}-profile`) },
      parent,
    );
    const keyPair = args.sshPublicKey
      ? new aws.ec2.KeyPair(
          `${name}-key`,
          { publicKey: args.sshPublicKey, tags: tags(`${name}-key`) },
          parent,
        )
      : undefined;

    const userData = pulumi
      .output({
        region,
        bucket: args.artifact.bucket,
        host: args.database.host,
        port: args.database.port,
        dbSecretArn: args.database.secretArn,
        sessionSecretArn: args.secrets.sessionSecretArn,
        ownerPasswordArn: args.secrets.ownerPasswordArn,
        originVerifyArn: args.secrets.originVerifyArn,
        dbAppPasswordArn: args.secrets.dbAppPasswordArn,
        logGroupName: args.logGroupName,
      })
      .apply((v) => {
        const input: UserDataInput = {
          arch: args.arch,
          region: v.region,
          artifact: { bucket: v.bucket, key: args.artifact.key, sha256: args.artifact.sha256 },
          database: {
            host: v.host,
            port: v.port,
            name: args.database.name,
            user: args.database.user,
            appUser: args.database.appUser,
            secretArn: v.dbSecretArn,
          },
          secrets: {
            sessionSecretArn: v.sessionSecretArn,
            ownerPasswordArn: v.ownerPasswordArn,
            originVerifyArn: v.originVerifyArn,
            dbAppPasswordArn: v.dbAppPasswordArn,
          },
          ownerEmail: args.ownerEmail,
          trustProxy: args.trustProxy,
          publicUrl: args.publicUrl,
          logLevel: args.logLevel,
          logGroupName: v.logGroupName,
          logRetentionDays: args.logRetentionDays,
        };
        return renderUserData(input);
      });
    this.userDataBytes = userData.gzipBytes;

    this.instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: ubuntuImage(args.arch, parent).id,
        instanceType: args.instanceType,
        subnetId: args.subnetId,
        vpcSecurityGroupIds: [args.securityGroupId],
        iamInstanceProfile: profile.name,
        keyName: keyPair?.keyName,
        monitoring: args.detailedMonitoring ?? true,
        metadataOptions: {
          httpTokens: "required",
          httpEndpoint: "enabled",
          httpPutResponseHopLimit: 1,
        },
        rootBlockDevice: {
          volumeType: "gp3",
          volumeSize: 16,
          encrypted: true,
          deleteOnTermination: true,
          tags: tags(`${name}-root`),
        },
        // Unlimited (AWS's default for t3/t4g): standard mode gives these types no launch credits,
        // so every new instance would boot throttled to its baseline.
        creditSpecification: args.instanceType.startsWith("t")
          ? { cpuCredits: "unlimited" }
          : undefined,
        userDataBase64: userData.gzipBase64,
        // A new build changes the user data; only a fresh instance runs cloud-init again.
        userDataReplaceOnChange: true,
        tags: tags(`${name}-instance`),
      },
      // The role's grants and the secrets must be in place before cloud-init fetches them. On a
      // replacement the new instance is created before the old one is deleted.
      { ...parent, dependsOn: [...grants, ...(args.dependsOn ?? [])], deleteBeforeReplace: false },
    );
    // Pulumi considers an instance created once it runs, a minute or two before it serves. This
    // waits (through SSM) until cloud-init is done and /readyz answers; only then does the address
    // move to the new instance, and a build that never gets ready leaves the old one serving.
    const ready = new command.local.Command(
      `${name}-ready`,
      {
        create: "node --import=tsx scripts/wait-for-instance.ts",
        // Pulumi runs the command provider in infra/ (Pulumi.yaml's `main`), and a local command
        // without `dir` runs there, where neither tsx nor scripts/ resolve: run it from the
        // project root, found from this file's own location, whatever the working directory.
        dir: PROJECT_ROOT,
        // The same credentials as the stack: its aws:profile, if it sets one, else the environment's.
        environment: {
          INSTANCE_ID: this.instance.id,
          AWS_REGION: region,
          ...(awsProfile ? { AWS_PROFILE: awsProfile } : {}),
        },
        triggers: [this.instance.id],
      },
      { ...parent, customTimeouts: { create: "20m" } },
    );
    this.address = new aws.ec2.Eip(
      `${name}-ip`,
      { domain: "vpc", tags: tags(`${name}-ip`) },
      parent,
    );
    const association = new aws.ec2.EipAssociation(
      `${name}-ip`,
      // The new association takes the address from the old instance before the old one goes.
      {
        allocationId: this.address.allocationId,
        instanceId: this.instance.id,
        allowReassociation: true,
      },
      { ...parent, dependsOn: [ready] },
    );
    this.association = association;
    this.servingInstanceId = association.instanceId.apply((id) => id ?? "");
    this.registerOutputs({ instanceId: this.servingInstanceId });
  }

  private createRole(name: string, args: WebServerArgs, partition: pulumi.Output<string>) {
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ec2.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags: tags(`${name}-role`),
      },
      parent,
    );
    const readReleaseAndSecrets = new aws.iam.RolePolicy(
      `${name}-read-release-and-secrets`,
      {
        role: role.id,
        policy: pulumi
          .all([
            args.artifact.bucketArn,
            args.database.secretArn,
            args.secrets.sessionSecretArn,
            args.secrets.ownerPasswordArn,
            args.secrets.originVerifyArn,
            args.secrets.dbAppPasswordArn,
          ])
          .apply(([bucketArn, ...secretArns]) =>
            JSON.stringify({
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "ReadRelease",
                  Effect: "Allow",
                  Action: "s3:GetObject",
                  Resource: `${bucketArn}/${args.artifact.key}`,
                },
                {
                  Sid: "ReadSecrets",
                  Effect: "Allow",
                  Action: "secretsmanager:GetSecretValue",
                  Resource: secretArns,
                },
              ],
            }),
          ),
      },
      parent,
    );
    const managed = (["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"] as const).map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${policy === "AmazonSSMManagedInstanceCore" ? "ssm" : "cloudwatch-agent"}`,
          {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
          },
          parent,
        ),
    );
    return { role, grants: [readReleaseAndSecrets, ...managed] };
  }
}

/** The newest official Ubuntu 24.04 LTS image for the architecture, from Canonical's account. */
function ubuntuImage(arch: "x86_64" | "arm64", opts: pulumi.InvokeOutputOptions) {
  const ubuntuArch = arch === "arm64" ? "arm64" : "amd64";
  return aws.ec2.getAmiOutput(
    {
      owners: [CANONICAL_OWNER_ID],
      mostRecent: true,
      filters: [
        {
          name: "name",
          values: [`ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${ubuntuArch}-server-*`],
        },
        { name: "architecture", values: [arch] },
        { name: "virtualization-type", values: ["hvm"] },
      ],
    },
    opts,
  );
}
