export interface DashboardTargets {
  region: string;
  instanceId: string;
  dbInstanceId: string;
  distributionId: string;
  logGroupName: string;
  cpuAlarmArn: string;
}

type Metric = (string | { stat?: string; label?: string; region?: string })[];

function metricWidget(
  title: string,
  region: string,
  metrics: Metric[],
  x: number,
  y: number,
  extra: object = {},
) {
  return {
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region,
      view: "timeSeries",
      stacked: false,
      period: 60,
      metrics,
      ...extra,
    },
  };
}

/** The CloudWatch dashboard: web server, database and HTTP panels, as the JSON AWS expects. */
export function dashboardBody(t: DashboardTargets): string {
  const ec2 = (name: string, stat = "Average"): Metric => [
    "AWS/EC2",
    name,
    "InstanceId",
    t.instanceId,
    { stat },
  ];
  const rds = (name: string, stat = "Average"): Metric => [
    "AWS/RDS",
    name,
    "DBInstanceIdentifier",
    t.dbInstanceId,
    { stat },
  ];
  const agent = (name: string): Metric => [
    "CWAgent",
    name,
    "InstanceId",
    t.instanceId,
    { stat: "Average" },
  ];
  const cloudfront = (name: string, stat: string): Metric => [
    "AWS/CloudFront",
    name,
    "DistributionId",
    t.distributionId,
    "Region",
    "Global",
    { stat, region: "us-east-1" },
  ];
  const widgets = [
    {
      type: "alarm",
      x: 0,
      y: 0,
      width: 24,
      height: 2,
      properties: { title: "CPU alarm", alarms: [t.cpuAlarmArn] },
    },
    metricWidget("Web server CPU %", t.region, [ec2("CPUUtilization")], 0, 2),
    metricWidget(
      "Web server memory and disk used %",
      t.region,
      [agent("mem_used_percent"), agent("disk_used_percent")],
      12,
      2,
    ),
    metricWidget("CPU credit balance", t.region, [ec2("CPUCreditBalance", "Minimum")], 0, 8),
    metricWidget(
      "Status checks failed",
      t.region,
      [ec2("StatusCheckFailed_System", "Maximum"), ec2("StatusCheckFailed_Instance", "Maximum")],
      12,
      8,
    ),
    metricWidget("Database CPU %", t.region, [rds("CPUUtilization")], 0, 14),
    metricWidget(
      "Database free storage and memory (bytes)",
      t.region,
      [rds("FreeStorageSpace", "Minimum"), rds("FreeableMemory", "Minimum")],
      12,
      14,
    ),
    metricWidget("Database connections", t.region, [rds("DatabaseConnections", "Maximum")], 0, 20),
    metricWidget(
      "HTTP requests (CloudFront)",
      "us-east-1",
      [cloudfront("Requests", "Sum")],
      12,
      20,
    ),
    metricWidget(
      "HTTP 5xx (nginx, per 5 minutes)",
      t.region,
      [["ExpenseTracker", "Http5xx", { stat: "Sum" }]],
      0,
      26,
      { period: 300 },
    ),
    metricWidget(
      "HTTP error rates % (CloudFront)",
      "us-east-1",
      [cloudfront("4xxErrorRate", "Average"), cloudfront("5xxErrorRate", "Average")],
      12,
      26,
    ),
    {
      type: "log",
      x: 0,
      y: 32,
      width: 24,
      height: 6,
      properties: {
        title: "Latest service errors",
        region: t.region,
        view: "table",
        query: `SOURCE '${t.logGroupName}' | fields @timestamp, msg, error, path, requestId | filter level = "error" | sort @timestamp desc | limit 20`,
      },
    },
  ];
  return JSON.stringify({ widgets });
}
