// Alarms, notifications, dashboard, logs and budget of the default stack, under mocks.
import { beforeAll, describe, expect, it } from "vitest";
import { type DeclaredResource, type ProgramRun, runProgram } from "./support/mocks.ts";

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram();
}, 120_000);

const TOPIC = "arn:aws:sns:eu-central-1:123456789012:expense-tracker-alerts";
const INSTANCE = "expense-tracker-instance-id";
function alarm(part: string): DeclaredResource {
  const found = run
    .all("aws:cloudwatch/metricAlarm:MetricAlarm")
    .find((a) => a.name === `expense-tracker-${part}`);
  if (!found) throw new Error(`no alarm expense-tracker-${part}`);
  return found;
}

describe("alerts by e-mail", () => {
  it("subscribes alertEmail to the topic by e-mail", () => {
    const subs = run.all("aws:sns/topicSubscription:TopicSubscription");
    expect(subs.map((s) => s.inputs)).toContainEqual(
      expect.objectContaining({ protocol: "email", endpoint: "alerts@example.com", topic: TOPIC }),
    );
    // The us-east-1 topic of the outside health check gets the same address.
    expect(subs).toHaveLength(2);
    expect(subs.every((s) => s.inputs.endpoint === "alerts@example.com")).toBe(true);
  });

  it("leaves the topic without a KMS key, so CloudWatch can publish to it", () => {
    for (const t of run.all("aws:sns/topic:Topic")) expect(t.inputs.kmsMasterKeyId).toBeUndefined();
  });
});

describe("the CPU alarm", () => {
  it("watches this instance's CPUUtilization above 70% for three one-minute periods", () => {
    expect(alarm("cpu-high").inputs).toMatchObject({
      namespace: "AWS/EC2",
      metricName: "CPUUtilization",
      dimensions: { InstanceId: INSTANCE },
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 70,
      period: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: "missing",
    });
  });

  it("notifies the topic when it fires and when it clears", () => {
    expect(alarm("cpu-high").inputs).toMatchObject({ alarmActions: [TOPIC], okActions: [TOPIC] });
  });

  it("the instance has detailed (one-minute) monitoring", () => {
    expect(run.one("aws:ec2/instance:Instance").inputs.monitoring).toBe(true);
  });
});

describe("beyond the seed", () => {
  it("a failed system status check recovers the instance and notifies", () => {
    expect(alarm("system-check").inputs).toMatchObject({
      metricName: "StatusCheckFailed_System",
      dimensions: { InstanceId: INSTANCE },
      alarmActions: ["arn:aws:automate:eu-central-1:ec2:recover", TOPIC],
    });
  });

  it("a failed instance status check reboots it and notifies", () => {
    expect(alarm("instance-check").inputs).toMatchObject({
      metricName: "StatusCheckFailed_Instance",
      alarmActions: ["arn:aws:automate:eu-central-1:ec2:reboot", TOPIC],
    });
  });

  it("watches the database's CPU, free storage and free memory", () => {
    const db = {
      namespace: "AWS/RDS",
      dimensions: { DBInstanceIdentifier: "expense-tracker-test-a1b2c3d4" },
    };
    expect(alarm("db-cpu-high").inputs).toMatchObject({
      ...db,
      metricName: "CPUUtilization",
      threshold: 80,
      comparisonOperator: "GreaterThanThreshold",
    });
    expect(alarm("db-storage-low").inputs).toMatchObject({
      ...db,
      metricName: "FreeStorageSpace",
      threshold: 2 * 1024 ** 3,
      comparisonOperator: "LessThanThreshold",
    });
    expect(alarm("db-memory-low").inputs).toMatchObject({
      ...db,
      metricName: "FreeableMemory",
      comparisonOperator: "LessThanThreshold",
    });
  });

  it("warns when a burstable instance spends credits it does not have, not when a new one starts at zero", () => {
    const credits = alarm("cpu-credits-low").inputs;
    const queries = credits.metricQueries as {
      id: string;
      expression?: string;
      metric?: Record<string, unknown>;
    }[];
    expect(queries.find((q) => q.id === "credits")?.metric).toMatchObject({
      namespace: "AWS/EC2",
      metricName: "CPUCreditBalance",
      dimensions: { InstanceId: INSTANCE },
    });
    expect(queries.find((q) => q.id === "cpu")?.metric).toMatchObject({
      metricName: "CPUUtilization",
      dimensions: { InstanceId: INSTANCE },
    });
    // t3.micro's baseline is 10%.
    expect(queries.find((q) => q.id === "burning")?.expression).toBe(
      "IF(credits < 30 AND cpu > 10, 1, 0)",
    );
    expect(credits).toMatchObject({
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 3,
    });
  });

  it("counts HTTP 5xx from nginx's access log and alarms above 10 in 5 minutes", () => {
    const filter = run.one("aws:cloudwatch/logMetricFilter:LogMetricFilter");
    expect(filter.inputs).toMatchObject({
      logGroupName: "/expense-tracker/test",
      pattern: '{ ($.source = "nginx") && ($.status >= 500) }',
      metricTransformation: { namespace: "ExpenseTracker", name: "Http5xx", value: "1" },
    });
    expect(alarm("http-5xx").inputs).toMatchObject({
      namespace: "ExpenseTracker",
      metricName: "Http5xx",
      statistic: "Sum",
      period: 300,
      threshold: 10,
      treatMissingData: "notBreaching",
    });
  });

  it("checks /readyz from outside over HTTPS and alarms in us-east-1, where the metric lives", () => {
    expect(run.one("aws:route53/healthCheck:HealthCheck").inputs).toMatchObject({
      type: "HTTPS",
      fqdn: "d111111abcdef8.cloudfront.net",
      port: 443,
      resourcePath: "/readyz",
    });
    const down = alarm("site-down");
    expect(down.inputs).toMatchObject({
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: "expense-tracker-readyz-id" },
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
    });
    expect(down.inputs.alarmActions).toEqual([
      "arn:aws:sns:eu-central-1:123456789012:expense-tracker-alerts-us-east-1",
    ]);
    expect(down.inputs.region).toBe("us-east-1");
    expect(run.one("aws:sns/topic:Topic", "alerts-us-east-1").inputs.region).toBe("us-east-1");
  });

  it("starts the outside health check only once the site serves: the address moved to a ready instance, CloudFront in place", () => {
    const deps = run.one("aws:route53/healthCheck:HealthCheck").dependsOnTyped;
    expect(deps).toContain("aws:ec2/eipAssociation:EipAssociation::expense-tracker-ip");
    expect(deps).toContain(
      "aws:cloudfront/distribution:Distribution::expense-tracker-distribution",
    );
  });

  it("every alarm notifies someone", () => {
    for (const a of run.all("aws:cloudwatch/metricAlarm:MetricAlarm")) {
      expect(
        (a.inputs.alarmActions as string[]).some((x) => x.startsWith("arn:aws:sns:")),
        a.name,
      ).toBe(true);
    }
  });
});

describe("dashboard, logs and budget", () => {
  it("the dashboard body is valid JSON naming the instance, the database, the distribution and the log group", () => {
    const dashboard = run.one("aws:cloudwatch/dashboard:Dashboard");
    const body = JSON.parse(String(dashboard.inputs.dashboardBody)) as {
      widgets: { type: string; properties: Record<string, unknown> }[];
    };
    const text = JSON.stringify(body);
    expect(body.widgets.length).toBeGreaterThan(8);
    for (const name of [
      INSTANCE,
      "expense-tracker-test-a1b2c3d4",
      "expense-tracker-distribution-id",
      "/expense-tracker/test",
      "Http5xx",
    ]) {
      expect(text).toContain(name);
    }
    expect(run.outputs.dashboardUrl).toBe(
      "https://console.aws.amazon.com/cloudwatch/home?region=eu-central-1#dashboards:name=expense-tracker-test",
    );
  });

  it("keeps logs 14 days", () => {
    expect(run.one("aws:cloudwatch/logGroup:LogGroup").inputs).toMatchObject({
      name: "/expense-tracker/test",
      retentionInDays: 14,
    });
  });

  it("e-mails when the month's cost reaches 80% of 60 USD, or is forecast to pass it", () => {
    const budget = run.one("aws:budgets/budget:Budget");
    expect(budget.inputs).toMatchObject({
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: "60.00",
      limitUnit: "USD",
    });
    expect(budget.inputs.notifications).toEqual([
      expect.objectContaining({
        notificationType: "ACTUAL",
        threshold: 80,
        subscriberEmailAddresses: ["alerts@example.com"],
      }),
      expect.objectContaining({
        notificationType: "FORECASTED",
        threshold: 100,
        subscriberEmailAddresses: ["alerts@example.com"],
      }),
    ]);
  });

  it("tells the instance which log group to ship to", async () => {
    const { gunzipSync } = await import("node:zlib");
    const text = gunzipSync(
      Buffer.from(String(run.one("aws:ec2/instance:Instance").inputs.userDataBase64), "base64"),
    ).toString();
    expect(text).toContain('"log_group_name": "/expense-tracker/test"');
  });
});
