import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../ops/clock.ts";
import { terminalOutput } from "../ops/terminal.ts";

function stream(isTTY: boolean) {
  let written = "";
  const s = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        written += String(chunk);
        done();
      },
    }),
    { isTTY },
  );
  return { s, written: () => written };
}

describe("terminalOutput", () => {
  it("on a terminal rewrites the progress line in place and clears it before a lasting line", () => {
    const { s, written } = stream(true);
    const out = terminalOutput({ stream: s });
    out.progress("waiting 1");
    out.progress("waiting 2");
    out.line("OK -> ALARM");
    expect(written()).toBe("waiting 1\r\x1b[2Kwaiting 2\r\x1b[2KOK -> ALARM\n");
  });

  it("in a pipe prints every n-th progress line as a plain line, with no carriage returns", () => {
    const { s, written } = stream(false);
    const out = terminalOutput({ stream: s, plainEvery: 2 });
    for (const n of [1, 2, 3, 4, 5]) out.progress(`waiting ${n}`);
    out.line("done");
    expect(written()).toBe("waiting 1\nwaiting 3\nwaiting 5\ndone\n");
  });
});

describe("durations", () => {
  it("formats elapsed time as minutes and zero-padded seconds", () => {
    expect(formatDuration(161_000)).toBe("2m41s");
    expect(formatDuration(5_000)).toBe("0m05s");
    expect(formatDuration(3_723_000)).toBe("1h02m03s");
  });

  it("parses --since values, a bare number meaning minutes, and refuses anything else", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("10m")).toBe(600_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("5")).toBe(300_000);
    expect(parseDuration("ten")).toBeUndefined();
  });
});
