// Entry point of the production artifact: `node expense-tracker.mjs` serves;
// `node expense-tracker.mjs migrate [options]` runs the migration command (see migrate-command.ts).
import { createLogger } from "./lib/logger.ts";

declare const __EMBEDDED_DB__: boolean | undefined;

const [command, ...rest] = process.argv.slice(2);
if (command === "migrate") {
  const { runMigrateCommand } = await import("./migrate-command.ts");
  const logger = createLogger("info", undefined, process.stdout.isTTY ? "text" : "json");
  process.exitCode = await runMigrateCommand(rest, {
    env: process.env,
    logger,
    embeddedAvailable: typeof __EMBEDDED_DB__ === "undefined" ? true : __EMBEDDED_DB__,
  });
} else if (command !== undefined) {
  console.error(
    `unknown command ${JSON.stringify(command)}: run with no arguments to serve, or "migrate"`,
  );
  process.exitCode = 2;
} else {
  await import("./server.ts");
}
