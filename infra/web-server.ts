import * as aws from "@pulumi/aws";
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
    user: string;
    secretArn: pulumi.Input<string>;
  };
  secrets: {
    sessionSecretArn: pulumi.Input<string>;
    ownerPasswordArn: pulumi.Input<string>;
    originVerifyArn: pulumi.Input<string>;
  };
  ownerEmail: string;
  logLevel: string;
  /** Proxy hops in front of the service: CloudFront and nginx. */
  trustProxy: number;
  /** One-minute CloudWatch metrics. Default true. */
  detailedMonitoring?: boolean;
  /** CloudWatch log group the agent ships the service's and nginx's logs to. */
  logGroupName: string;
  /** SSH public key for the `ubuntu` user (only with an sshCidr rule). */
  sshPublicKey?: string | undefined;
}

/** Canonical's AWS account, which publishes the official Ubuntu images. */
export const CANONICAL_OWNER_ID = "099720109477";

/**
 * The EC2 instance running nginx and the service, configured entirely by cloud-init. Its role can
 * read only the artifact and this stack's secrets, plus what SSM and the CloudWatch agent need.
 */
export class WebServer extends pulumi.ComponentResource {
  readonly instance: aws.ec2.Instance;
  readonly role: aws.iam.Role;
  /** Size of the gzip-compressed user data in bytes (EC2 allows 16384). */
  readonly userDataBytes: pulumi.Output<number>;

  constructor(name: string, args: WebServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:web:WebServer", name, {}, opts);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;

    this.role = this.createRole(name, args, partition);
    const profile = new aws.iam.InstanceProfile(
      `${name}-profile`,
      { role: this.role.name, tags: tags(`${name}-profile`) },
      parent,
    );

    const ubuntuArch = args.arch === "arm64" ? "arm64" : "amd64";
    const ami = aws.ec2.getAmiOutput(
      {
        owners: [CANONICAL_OWNER_ID],
        mostRecent: true,
        filters: [
          {
            name: "name",
            values: [`ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${ubuntuArch}-server-*`],
          },
          { name: "architecture", values: [args.arch] },
          { name: "virtualization-type", values: ["hvm"] },
        ],
      },
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
      .all([
        region,
        args.artifact.bucket,
        args.database.host,
        args.database.port,
        args.database.secretArn,
        args.secrets.sessionSecretArn,
        args.secrets.ownerPasswordArn,
        args.secrets.originVerifyArn,
      ])
      .apply(
        ([
          region,
          bucket,
          dbHost,
          dbPort,
          dbSecretArn,
          sessionSecretArn,
          ownerPasswordArn,
          originVerifyArn,
        ]) => {
          const input: UserDataInput = {
            arch: args.arch,
            region,
            artifact: { bucket, key: args.artifact.key, sha256: args.artifact.sha256 },
            database: {
              host: dbHost,
              port: dbPort,
              name: args.database.name,
              user: args.database.user,
              secretArn: dbSecretArn,
            },
            secrets: { sessionSecretArn, ownerPasswordArn, originVerifyArn },
            ownerEmail: args.ownerEmail,
            trustProxy: args.trustProxy,
            logLevel: args.logLevel,
            logGroupName: args.logGroupName,
          };
          return renderUserData(input);
        },
      );
    this.userDataBytes = userData.gzipBytes;

    this.instance = new aws.ec2.Instance(
      `${name}-instance`,
      {
        ami: ami.id,
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
          instanceMetadataTags: "disabled",
        },
        rootBlockDevice: {
          volumeType: "gp3",
          volumeSize: 16,
          encrypted: true,
          deleteOnTermination: true,
          tags: tags(`${name}-root`),
        },
        creditSpecification: args.instanceType.startsWith("t")
          ? { cpuCredits: "standard" }
          : undefined,
        userDataBase64: userData.gzipBase64,
        // A new build changes the user data; only a fresh instance runs cloud-init again.
        userDataReplaceOnChange: true,
        tags: tags(`${name}-instance`),
      },
      // Create the new instance before deleting the old one, so the site moves over.
      { ...parent, deleteBeforeReplace: false },
    );
    this.registerOutputs({ instanceId: this.instance.id });
  }

  private createRole(
    name: string,
    args: WebServerArgs,
    partition: pulumi.Output<string>,
  ): aws.iam.Role {
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
    new aws.iam.RolePolicy(
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
    for (const [part, policy] of [
      ["ssm", "AmazonSSMManagedInstanceCore"],
      ["cloudwatch-agent", "CloudWatchAgentServerPolicy"],
    ] as const) {
      new aws.iam.RolePolicyAttachment(
        `${name}-${part}`,
        {
          role: role.name,
          policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
        },
        parent,
      );
    }
    return role;
  }
}
