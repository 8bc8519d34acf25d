// `npm run build`: writes dist/expense-tracker.mjs and prints what the deployment will ship.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { gzipSync } from "node:zlib";
import { buildService, REPO_ROOT } from "./lib/build-service.ts";

const started = performance.now();
const artifact = await buildService();
const elapsed = Math.round(performance.now() - started);
const gzipped = gzipSync(readFileSync(artifact.file)).length;

console.log(`built   ${relative(REPO_ROOT, artifact.file)} in ${elapsed} ms`);
console.log(`size    ${artifact.bytes} bytes (${gzipped} gzipped)`);
console.log(`sha256  ${artifact.sha256}`);
