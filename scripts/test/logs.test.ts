import {
  CloudWatchLogsClient,
  type FilteredLogEvent,
  FilterLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { tailLogs } from "../ops/log-tail.ts";
import { fakeClock } from "./support/fake-clock.ts";

const group = "/expense-tracker/dev";
const start = Date.UTC(2025, 4, 1, 12, 0, 0);
const event = (id: string, secondsAgo: number, message: string): FilteredLogEvent => ({
  eventId: id,
  timestamp: start - secondsAgo * 1000,
  logStreamName: "i-0123/service",
  message: `${message}\n`,
});

describe("tailLogs", () => {
  it("prints each event once across overlapping polls and pages, oldest first, until Ctrl-C", async () => {
    const logs = new CloudWatchLogsClient({ region: "eu-central-1" });
    const mock = mockClient(logs);
    const e1 = event("1", 300, '{"msg":"listening"}');
    const e2 = event("2", 120, '{"msg":"request","status":200}');
    const e3 = event("3", 1, '{"msg":"request","status":500}');
    mock
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [e2, e1] })
      // The second poll re-reads the overlap, and its result spans two pages.
      .resolvesOnce({ events: [e2], nextToken: "p2" })
      .resolvesOnce({ events: [e3] })
      .resolves({ events: [e3] });
    const controller = new AbortController();
    const clock = fakeClock({ start, onSleep: (t) => t >= 6_000 && controller.abort() });
    const printed: string[] = [];
    const count = await tailLogs({
      logs,
      logGroupName: group,
      clock,
      print: (l) => printed.push(l),
      signal: controller.signal,
      filterPattern: "request",
      onFollowing: () => printed.push("-- following --"),
    });

    expect(count).toBe(3);
    expect(printed).toEqual([
      '2025-05-01 11:55:00.000  i-0123/service  {"msg":"listening"}',
      '2025-05-01 11:58:00.000  i-0123/service  {"msg":"request","status":200}',
      "-- following --",
      '2025-05-01 11:59:59.000  i-0123/service  {"msg":"request","status":500}',
    ]);
    const inputs = mock.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toMatchObject({
      logGroupName: group,
      startTime: start - 600_000,
      filterPattern: "request",
    });
    expect(inputs[2]?.nextToken).toBe("p2");
    // Later polls start a minute before the newest event seen, not at the original 10 minutes.
    expect(inputs[1]?.startTime).toBe(start - 120_000 - 60_000);
  });

  it("with follow off prints what is there and returns", async () => {
    const logs = new CloudWatchLogsClient({ region: "eu-central-1" });
    mockClient(logs)
      .on(FilterLogEventsCommand)
      .resolves({ events: [event("1", 10, "hello")] });
    const printed: string[] = [];
    await tailLogs({
      logs,
      logGroupName: group,
      follow: false,
      clock: fakeClock({ start }),
      print: (l) => printed.push(l),
    });
    expect(printed).toHaveLength(1);
  });

  it("names a missing log group and how to create it", async () => {
    const logs = new CloudWatchLogsClient({ region: "eu-central-1" });
    mockClient(logs)
      .on(FilterLogEventsCommand)
      .rejects(
        Object.assign(new Error("The specified log group does not exist."), {
          name: "ResourceNotFoundException",
        }),
      );
    await expect(
      tailLogs({ logs, logGroupName: group, clock: fakeClock({ start }), print: () => {} }),
    ).rejects.toThrow(`log group ${group} does not exist: run pulumi up (or pass --stack)`);
  });
});
