import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dashboardBody } from "./dashboard.ts";
import { SiteHealthCheck } from "./health-check.ts";
import { HTTP_5XX_METRIC, METRICS_NAMESPACE } from "./logs.ts";
import { tags } from "./tags.ts";

/** Baseline CPU percentage of each burstable type: above it, the instance spends credits. */
const BURST_BASELINE_PERCENT: Record<string, number> = {
  "t3.micro": 10,
  "t3.small": 20,
  "t3.medium": 20,
  "t4g.micro": 10,
  "t4g.small": 20,
  "t4g.medium": 20,
};

export interface MonitoringArgs {
  alertEmail: string;
  instanceId: pulumi.Input<string>;
  instanceType: string;
  /** One-minute EC2 metrics; without them the CPU alarm needs 5-minute periods. */
  detailedMonitoring: boolean;
  /** CPU percentage above which the CPU alarm fires. */
  cpuThreshold: number;
  dbInstanceId: pulumi.Input<string>;
  logGroupName: pulumi.Input<string>;
  /** HTTP 5xx answers in 5 minutes above which the 5xx alarm fires. */
  http5xxThreshold: number;
  /** Monthly cost in USD that triggers the budget alert. */
  monthlyBudgetUsd: number;
  /** Host name users reach the site at (checked from outside on /readyz). */
  publicHost: pulumi.Input<string>;
  distributionId: pulumi.Input<string>;
  /** What must be in place before the site answers; the outside health check starts after it. */
  siteReady?: pulumi.Resource[];
}

/**
 * Alarms that e-mail the owner through SNS, a dashboard, a monthly budget and an outside health
 * check. The topic is not KMS-encrypted on purpose: CloudWatch alarms cannot publish to a topic
 * under the AWS-managed SNS key, a customer key costs a dollar a month, and alarm messages hold
 * no secrets.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly cpuAlarm: aws.cloudwatch.MetricAlarm;
  readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:monitoring:Monitoring", name, {}, opts);
    const parent = { parent: this };
    const region = aws.getRegionOutput({}, parent).region;
    const partition = aws.getPartitionOutput({}, parent).partition;

    this.topic = new aws.sns.Topic(`${name}-alerts`, { tags: tags(`${name}-alerts`) }, parent);
    new aws.sns.TopicSubscription(
      `${name}-alerts-email`,
      { topic: this.topic.arn, protocol: "email", endpoint: args.alertEmail },
      parent,
    );
    const notify = [this.topic.arn];
    const alarm = (
      part: string,
      description: string,
      alarmArgs: Partial<aws.cloudwatch.MetricAlarmArgs>,
    ) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${part}`,
        {
          alarmDescription: description,
          alarmActions: notify,
          okActions: notify,
          evaluationPeriods: 1,
          comparisonOperator: "GreaterThanThreshold",
          threshold: 0,
          tags: tags(`${name}-${part}`),
          ...alarmArgs,
        } as aws.cloudwatch.MetricAlarmArgs,
        parent,
      );
    const ec2 = { namespace: "AWS/EC2", dimensions: { InstanceId: args.instanceId } };
    const rds = { namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: args.dbInstanceId } };

    // Three one-minute periods: a sustained load fires within about three minutes.
    const period = args.detailedMonitoring ? 60 : 300;
    const periods = args.detailedMonitoring ? 3 : 1;
    this.cpuAlarm = alarm(
      "cpu-high",
      `Web server CPU above ${args.cpuThreshold}% for ${(period * periods) / 60} minutes`,
      {
        ...ec2,
        metricName: "CPUUtilization",
        statistic: "Average",
        period,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        threshold: args.cpuThreshold,
        // No data means the instance is stopped or being replaced: the status-check and health-check
        // alarms speak for that, so this alarm keeps its state instead of flapping.
        treatMissingData: "missing",
      },
    );
    alarm(
      "system-check",
      "The host under the web server failed: EC2 recovers the instance onto new hardware",
      {
        ...ec2,
        metricName: "StatusCheckFailed_System",
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 2,
        alarmActions: [
          pulumi.interpolate`arn:${partition}:automate:${region}:ec2:recover`,
          this.topic.arn,
        ],
      },
    );
    alarm("instance-check", "The web server's OS stopped answering: EC2 reboots it", {
      ...ec2,
      metricName: "StatusCheckFailed_Instance",
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 3,
      alarmActions: [
        pulumi.interpolate`arn:${partition}:automate:${region}:ec2:reboot`,
        this.topic.arn,
      ],
    });
    const baseline = BURST_BASELINE_PERCENT[args.instanceType];
    if (baseline !== undefined) {
      // In unlimited mode (see web-server.ts) an empty credit balance means AWS starts charging
      // for surplus credits. A new instance starts at zero, so the alarm needs both: few credits
      // left and the CPU above its baseline for 15 minutes.
      const metric = (metricName: string, stat: string) => ({
        namespace: "AWS/EC2",
        metricName,
        dimensions: { InstanceId: args.instanceId },
        period: 300,
        stat,
      });
      alarm(
        "cpu-credits-low",
        `Fewer than 30 CPU credits left while the CPU runs above its ${baseline}% baseline`,
        {
          metricQueries: [
            { id: "credits", metric: metric("CPUCreditBalance", "Minimum"), returnData: false },
            { id: "cpu", metric: metric("CPUUtilization", "Average"), returnData: false },
            {
              id: "burning",
              expression: `IF(credits < 30 AND cpu > ${baseline}, 1, 0)`,
              label: "Spending CPU credits it does not have",
              returnData: true,
            },
          ],
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
        },
      );
    }
    alarm("db-cpu-high", "Database CPU above 80% for 10 minutes", {
      ...rds,
      metricName: "CPUUtilization",
      statistic: "Average",
      period: 300,
      evaluationPeriods: 2,
      threshold: 80,
    });
    alarm("db-storage-low", "Database free storage below 2 GiB", {
      ...rds,
      metricName: "FreeStorageSpace",
      statistic: "Minimum",
      period: 300,
      comparisonOperator: "LessThanThreshold",
      threshold: 2 * 1024 ** 3,
    });
    alarm("db-memory-low", "Database freeable memory below 100 MiB for 15 minutes", {
      ...rds,
      metricName: "FreeableMemory",
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      comparisonOperator: "LessThanThreshold",
      threshold: 100 * 1024 ** 2,
    });
    alarm("http-5xx", `More than ${args.http5xxThreshold} HTTP 5xx answers in 5 minutes`, {
      namespace: METRICS_NAMESPACE,
      metricName: HTTP_5XX_METRIC,
      statistic: "Sum",
      period: 300,
      threshold: args.http5xxThreshold,
      // No requests, no errors.
      treatMissingData: "notBreaching",
    });
    new SiteHealthCheck(
      name,
      { alertEmail: args.alertEmail, host: args.publicHost, siteReady: args.siteReady },
      parent,
    );

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: `expense-tracker-${pulumi.getStack()}`,
        dashboardBody: pulumi
          .all([
            region,
            args.instanceId,
            args.dbInstanceId,
            args.distributionId,
            args.logGroupName,
            this.cpuAlarm.arn,
          ])
          .apply(([r, instanceId, dbInstanceId, distributionId, logGroupName, cpuAlarmArn]) =>
            dashboardBody({
              region: r,
              instanceId,
              dbInstanceId,
              distributionId,
              logGroupName,
              cpuAlarmArn,
            }),
          ),
      },
      parent,
    );
    this.dashboardUrl = pulumi.interpolate`https://console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboard.dashboardName}`;

    // Budgets e-mails the address directly: no topic policy or key policy can silence it. The
    // budget covers the whole account: a tag filter would see nothing until cost allocation tags
    // are activated by hand.
    new aws.budgets.Budget(
      `${name}-budget`,
      {
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: args.monthlyBudgetUsd.toFixed(2),
        limitUnit: "USD",
        notifications: [
          {
            comparisonOperator: "GREATER_THAN",
            notificationType: "ACTUAL",
            threshold: 80,
            thresholdType: "PERCENTAGE",
            subscriberEmailAddresses: [args.alertEmail],
          },
          {
            comparisonOperator: "GREATER_THAN",
            notificationType: "FORECASTED",
            threshold: 100,
            thresholdType: "PERCENTAGE",
            subscriberEmailAddresses: [args.alertEmail],
          },
        ],
        tags: tags(`${name}-budget`),
      },
      parent,
    );
    this.registerOutputs({
      topicArn: this.topic.arn,
      cpuAlarmName: this.cpuAlarm.name,
      dashboardUrl: this.dashboardUrl,
    });
  }
}
