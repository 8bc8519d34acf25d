// Loads infra/ the way the Pulumi CLI's Node.js language host does for an ES-module project:
// `node <nodeargs from Pulumi.yaml> ...` and a dynamic import() of the entry file, outside
// vitest's transformer. Prints what the program declared as one JSON line.
import { realpathSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runProgram } from "./mocks.ts";

const entry = realpathSync(fileURLToPath(new URL("../../index.ts", import.meta.url)));
const run = await runProgram({}, { programUrl: pathToFileURL(entry).href });
process.stdout.write(
  `${JSON.stringify({ resources: run.resources.length, types: [...new Set(run.resources.map((r) => r.type))].length, outputs: run.outputs })}\n`,
);
