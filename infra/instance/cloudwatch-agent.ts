// The CloudWatch agent: ships the service's and nginx's logs to the stack's log group and
// publishes memory and disk use. Its package comes from AWS's regional bucket over HTTPS; there
// is no sha256 pin because "latest" moves with every agent release.
import type { Arch } from "./node-runtime.ts";
import { PATHS } from "./paths.ts";

/** The agent's systemd unit, installed by its package. */
export const CLOUDWATCH_AGENT_UNIT = "amazon-cloudwatch-agent.service";

/** Where the agent's package is downloaded from, for this region and architecture. */
export function cloudWatchAgentPackageUrl(region: string, arch: Arch): string {
  const debArch = arch === "arm64" ? "arm64" : "amd64";
  return `https://amazoncloudwatch-agent-${region}.s3.${region}.amazonaws.com/ubuntu/${debArch}/latest/amazon-cloudwatch-agent.deb`;
}

/** The agent's own placeholder for the instance id. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the agent expands it, not JavaScript.
export const AGENT_INSTANCE_ID = "${aws:InstanceId}";

/** Log files the agent ships, each to its own stream under the instance id. */
export const SHIPPED_LOGS = [
  { file: PATHS.serviceLog, stream: "service" },
  { file: PATHS.accessLog, stream: "nginx-access" },
  { file: PATHS.nginxErrorLog, stream: "nginx-error" },
] as const;

/** The agent's JSON configuration. */
export function renderCloudWatchAgentConfig(logGroupName: string, retentionDays: number): string {
  const config = {
    // root: the service's and nginx's log folders are not readable by the agent's own user.
    agent: { metrics_collection_interval: 60, run_as_user: "root" },
    logs: {
      logs_collected: {
        files: {
          collect_list: SHIPPED_LOGS.map((l) => ({
            file_path: l.file,
            log_group_name: logGroupName,
            log_stream_name: `{instance_id}/${l.stream}`,
            timezone: "UTC",
            retention_in_days: retentionDays,
          })),
        },
      },
    },
    metrics: {
      namespace: "CWAgent",
      append_dimensions: { InstanceId: AGENT_INSTANCE_ID },
      // Also published with InstanceId alone, which is what the dashboard and alarms ask for.
      aggregation_dimensions: [["InstanceId"]],
      metrics_collected: {
        mem: { measurement: ["mem_used_percent"] },
        disk: { measurement: ["used_percent"], resources: ["/"], drop_device: true },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Rotates the service's log file; the agent follows the file across copytruncate. */
export function renderServiceLogrotate(): string {
  return `${PATHS.serviceLog} {
    daily
    rotate 7
    maxsize 50M
    missingok
    notifempty
    compress
    delaycompress
    copytruncate
}
`;
}
