import { describe, expect, it } from "vitest";
import { AGENT_INSTANCE_ID } from "../../instance/cloudwatch-agent.ts";
import {
  cloudWatchAgentPackageUrl,
  instanceFiles,
  PATHS,
  renderBootScript,
  renderCloudWatchAgentConfig,
  renderNginxSite,
  renderServiceUnit,
  renderTmpfiles,
} from "../../instance/index.ts";
import { sampleInput } from "./support/sample-input.ts";

describe("CloudWatch agent configuration", () => {
  const config = JSON.parse(renderCloudWatchAgentConfig("/expense-tracker/dev", 14)) as {
    agent: Record<string, unknown>;
    logs: {
      logs_collected: {
        files: {
          collect_list: {
            file_path: string;
            log_group_name: string;
            log_stream_name: string;
            retention_in_days: number;
          }[];
        };
      };
    };
    metrics: {
      append_dimensions: Record<string, string>;
      aggregation_dimensions: string[][];
      metrics_collected: Record<string, { measurement: string[] }>;
    };
  };
  const files = config.logs.logs_collected.files.collect_list;

  it("ships the service's log, nginx's access log and nginx's error log to the stack's log group", () => {
    expect(files.map((f) => f.file_path)).toEqual([
      PATHS.serviceLog,
      PATHS.accessLog,
      PATHS.nginxErrorLog,
    ]);
    expect(new Set(files.map((f) => f.log_group_name))).toEqual(new Set(["/expense-tracker/dev"]));
    expect(files.every((f) => f.retention_in_days === 14)).toBe(true);
    expect(files.map((f) => f.log_stream_name)).toEqual([
      "{instance_id}/service",
      "{instance_id}/nginx-access",
      "{instance_id}/nginx-error",
    ]);
  });

  it("reads the files the service unit and the nginx site actually write", () => {
    expect(renderServiceUnit()).toContain(`StandardOutput=append:${PATHS.serviceLog}`);
    // systemd opens that file before it creates LogsDirectory=: tmpfiles.d makes the folder first.
    expect(renderTmpfiles()).toContain(
      "d /var/log/expense-tracker 0750 expense-tracker expense-tracker -",
    );
    const boot = renderBootScript(sampleInput());
    expect(boot.indexOf(`systemd-tmpfiles --create ${PATHS.tmpfiles}`)).toBeLessThan(
      boot.indexOf("systemctl restart expense-tracker.service"),
    );
    expect(instanceFiles(sampleInput()).map((f) => f.path)).toContain(PATHS.tmpfiles);
    expect(renderServiceUnit()).toContain("LogsDirectory=expense-tracker");
    expect(PATHS.serviceLog.startsWith("/var/log/expense-tracker/")).toBe(true);
    expect(renderNginxSite()).toContain(
      `access_log ${PATHS.accessLog} expense_tracker_json if=$expense_tracker_loggable;`,
    );
  });

  it("publishes memory and disk use per instance", () => {
    expect(config.metrics.metrics_collected.mem?.measurement).toEqual(["mem_used_percent"]);
    expect(config.metrics.metrics_collected.disk?.measurement).toEqual(["used_percent"]);
    expect(config.metrics.append_dimensions).toEqual({ InstanceId: AGENT_INSTANCE_ID });
    expect(AGENT_INSTANCE_ID).toBe("\u0024{aws:InstanceId}");
    expect(config.metrics.aggregation_dimensions).toEqual([["InstanceId"]]);
    expect(config.agent.run_as_user).toBe("root");
  });
});

describe("agent installation", () => {
  it("cloud-init writes the configuration and the service's logrotate rule", () => {
    const written = instanceFiles(sampleInput());
    const agent = written.find((f) => f.path === PATHS.cloudWatchAgentConfig);
    expect(JSON.parse(agent?.content ?? "")).toBeTruthy();
    expect(written.find((f) => f.path === PATHS.serviceLogrotate)?.content).toContain(
      "copytruncate",
    );
  });

  it("the boot script installs the agent for the right architecture only after the site is ready", () => {
    const x86 = renderBootScript(sampleInput());
    const arm = renderBootScript(sampleInput({ arch: "arm64" }));
    expect(x86).toContain(cloudWatchAgentPackageUrl("eu-west-1", "x86_64"));
    expect(cloudWatchAgentPackageUrl("eu-west-1", "x86_64")).toContain("/ubuntu/amd64/");
    expect(arm).toContain("/ubuntu/arm64/latest/amazon-cloudwatch-agent.deb");
    expect(x86.indexOf('step "ready"')).toBeLessThan(
      x86.indexOf("installing the CloudWatch agent"),
    );
    expect(x86).toContain(`-a fetch-config -m ec2 -s -c file:${PATHS.cloudWatchAgentConfig}`);
    expect(x86).toContain("-o DPkg::Lock::Timeout=600");
  });
});
