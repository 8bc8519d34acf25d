// Preloaded by every npm script (`node --import ./scripts/check-node.mjs ...`) and runnable on its
// own: stops at once, in one line, on a Node.js older than the project needs, before anything
// else loads and fails with a stack trace. Plain JavaScript, so that any Node.js can read it.
const NEEDED = 24;
const major = Number(process.versions.node.split(".")[0]);
if (major < NEEDED) {
  process.stderr.write(
    `expense-tracker needs Node.js ${NEEDED} or later, and this is Node.js ${process.version}: run \`. scripts/node24.sh\` (it installs Node.js 24 from the npm registry and puts it first on PATH), then try again\n`,
  );
  process.exit(2);
}
