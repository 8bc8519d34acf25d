import type { Output } from "../../ops/terminal.ts";

/** An Output that keeps what the operator would see: `lines` stay, `progress` is the status line. */
export function recordingOutput(): Output & {
  lines: string[];
  progressLines: string[];
  text(): string;
} {
  const lines: string[] = [];
  const progressLines: string[] = [];
  return {
    lines,
    progressLines,
    line: (text) => lines.push(text),
    progress: (text) => progressLines.push(text),
    text: () => lines.join("\n"),
  };
}
