import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface FirewallArgs {
  vpcId: pulumi.Input<string>;
  /** Opens SSH to this CIDR only. Default: closed (operators use SSM Session Manager). */
  sshCidr?: string | undefined;
}

/** CloudFront's origin-facing addresses, as an AWS-managed prefix list. */
export const CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/**
 * Security groups, each rule its own resource with a description. The web server admits HTTP
 * only from CloudFront; the database admits PostgreSQL only from the web server.
 */
export class Firewall extends pulumi.ComponentResource {
  readonly webGroup: aws.ec2.SecurityGroup;
  readonly databaseGroup: aws.ec2.SecurityGroup;

  constructor(name: string, args: FirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:firewall:Firewall", name, {}, opts);
    const parent = { parent: this };
    this.webGroup = new aws.ec2.SecurityGroup(
      `${name}-web`,
      { vpcId: args.vpcId, description: "Expense tracker web server", tags: tags(`${name}-web`) },
      parent,
    );
    this.databaseGroup = new aws.ec2.SecurityGroup(
      `${name}-db`,
      { vpcId: args.vpcId, description: "Expense tracker database", tags: tags(`${name}-db`) },
      parent,
    );
    const web = this.webGroup.id;
    const db = this.databaseGroup.id;
    const cloudfront = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_PREFIX_LIST }, parent);

    const ingress = (rule: string, args: aws.vpc.SecurityGroupIngressRuleArgs) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${rule}`,
        { ...args, tags: tags(`${name}-${rule}`) },
        parent,
      );
    const egress = (rule: string, args: aws.vpc.SecurityGroupEgressRuleArgs) =>
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-${rule}`,
        { ...args, tags: tags(`${name}-${rule}`) },
        parent,
      );

    ingress("web-http-from-cloudfront", {
      securityGroupId: web,
      description: "HTTP from CloudFront origin-facing servers only",
      ipProtocol: "tcp",
      fromPort: 80,
      toPort: 80,
      prefixListId: cloudfront.id,
    });
    egress("web-https-out", {
      securityGroupId: web,
      description:
        "HTTPS out: AWS APIs (S3, Secrets Manager, SSM, CloudWatch), Node.js download, updates",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
    });
    egress("web-http-out", {
      securityGroupId: web,
      description: "HTTP out: Ubuntu package mirrors",
      ipProtocol: "tcp",
      fromPort: 80,
      toPort: 80,
      cidrIpv4: "0.0.0.0/0",
    });
    egress("web-ntp-out", {
      securityGroupId: web,
      description: "NTP out: time sync with Ubuntu's servers (the AWS time service is link-local)",
      ipProtocol: "udp",
      fromPort: 123,
      toPort: 123,
      cidrIpv4: "0.0.0.0/0",
    });
    egress("web-postgres-out", {
      securityGroupId: web,
      description: "PostgreSQL to the database security group",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      referencedSecurityGroupId: db,
    });
    ingress("db-postgres-from-web", {
      securityGroupId: db,
      description: "PostgreSQL from the web server security group only",
      ipProtocol: "tcp",
      fromPort: 5432,
      toPort: 5432,
      referencedSecurityGroupId: web,
    });
    if (args.sshCidr) {
      ingress("web-ssh", {
        securityGroupId: web,
        description: `SSH from ${args.sshCidr} only (config sshCidr)`,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: args.sshCidr,
      });
    }
    this.registerOutputs({ webGroupId: web, databaseGroupId: db });
  }
}
