import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tags } from "./tags.ts";

export interface SiteHealthCheckArgs {
  /** Who is e-mailed when the site is down. */
  alertEmail: string;
  /** Host name users reach the site at. */
  host: pulumi.Input<string>;
  /** What must be in place before the site answers (the check starts only after). */
  siteReady?: pulumi.Resource[];
}

/**
 * Route 53 checks https://<host>/readyz from several places around the world and alarms when the
 * site is down for everyone. Its metric exists only in us-east-1, and an alarm can notify only a
 * topic in its own region, hence a second topic there. Each of these resources names its region,
 * so it uses the stack's own credentials.
 */
export class SiteHealthCheck extends pulumi.ComponentResource {
  constructor(name: string, args: SiteHealthCheckArgs, opts?: pulumi.ComponentResourceOptions) {
    super("expense-tracker:monitoring:SiteHealthCheck", name, {}, opts);
    const parent = { parent: this };
    const check = new aws.route53.HealthCheck(
      `${name}-readyz`,
      {
        type: "HTTPS",
        fqdn: args.host,
        port: 443,
        resourcePath: "/readyz",
        requestInterval: 30,
        failureThreshold: 3,
        enableSni: true,
        measureLatency: false,
        tags: tags(`${name}-readyz`),
      },
      // Started earlier, it would fail (and site-down fire and clear) on every first deploy.
      { ...parent, dependsOn: args.siteReady ?? [] },
    );
    const topic = new aws.sns.Topic(
      `${name}-alerts-us-east-1`,
      { region: "us-east-1", tags: tags(`${name}-alerts-us-east-1`) },
      parent,
    );
    new aws.sns.TopicSubscription(
      `${name}-alerts-us-east-1-email`,
      { region: "us-east-1", topic: topic.arn, protocol: "email", endpoint: args.alertEmail },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-site-down`,
      {
        alarmDescription: "The site's /readyz fails from outside AWS's network for 2 minutes",
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: check.id },
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 2,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: "breaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        region: "us-east-1",
        tags: tags(`${name}-site-down`),
      },
      parent,
    );
    this.registerOutputs({});
  }
}
