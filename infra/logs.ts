import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface LogsArgs {
  /** Days CloudWatch keeps the logs. */
  retentionDays: number;
}

/** Namespace of the metrics this stack derives from its logs. */
export const METRICS_NAMESPACE = "ExpenseTracker";
/** The metric counting HTTP 5xx answers in nginx's access log. */
export const HTTP_5XX_METRIC = "Http5xx";

/**
 * The log group the CloudWatch agent ships the service's and nginx's logs to, and a metric filter
 * that counts 5xx answers in nginx's JSON access log, so a dead service's 502s count too.
 */
export class Logs extends pulumi.ComponentResource {
  readonly group: aws.cloudwatch.LogGroup;
  /** Fixed name, known before the instance exists, so its user data can name it. */
  readonly groupName: string;

  constructor(name: string, args: LogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:logs:Logs", name, {}, opts);
    const parent = { parent: this };
    this.groupName = `/expense-tracker/${pulumi.getStack()}`;
    this.group = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: this.groupName, retentionInDays: args.retentionDays, tags: tags(`${name}-logs`) },
      parent,
    );
    new aws.cloudwatch.LogMetricFilter(
      `${name}-http-5xx`,
      {
        logGroupName: this.group.name,
        // nginx's access log lines carry "source":"nginx"; the service's own request lines also
        // have a status, and must not count a 5xx twice.
        pattern: '{ ($.source = "nginx") && ($.status >= 500) }',
        metricTransformation: {
          namespace: METRICS_NAMESPACE,
          name: HTTP_5XX_METRIC,
          value: "1",
          defaultValue: "0",
          unit: "Count",
        },
      },
      parent,
    );
    this.registerOutputs({ groupName: this.groupName });
  }
}
