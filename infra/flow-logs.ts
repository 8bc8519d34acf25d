import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface FlowLogsArgs {
  vpcId: pulumi.Input<string>;
  /** Days CloudWatch keeps the flow records. */
  retentionDays: number;
}

/**
 * VPC flow logs (every accepted and rejected connection) to a CloudWatch log group of their own,
 * for investigating traffic after the fact. Optional: they cost per GB ingested (see README).
 */
export class FlowLogs extends pulumi.ComponentResource {
  readonly group: aws.cloudwatch.LogGroup;

  constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:flow-logs:FlowLogs", name, {}, opts);
    const parent = { parent: this };
    this.group = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        name: `/expense-tracker/${pulumi.getStack()}/vpc-flow-logs`,
        retentionInDays: args.retentionDays,
        tags: tags(`${name}-flow-logs`),
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "vpc-flow-logs.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags: tags(`${name}-flow-logs`),
      },
      parent,
    );
    const write = new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: this.group.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [arn, `${arn}:*`],
              },
            ],
          }),
        ),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: this.group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: 600,
        tags: tags(`${name}-flow-logs`),
      },
      { ...parent, dependsOn: [write] },
    );
    this.registerOutputs({ groupName: this.group.name });
  }
}
