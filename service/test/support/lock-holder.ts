// A second process for the lock tests:  node --import tsx lock-holder.ts <dataDir> <startAt> [hold]
// Waits until the wall clock reaches <startAt> (ms since the epoch, so that several of these try
// at the same moment), takes the embedded database's lock and prints "locked", or prints "busy
// <pid>" and exits 2. With "hold" it keeps the lock until its standard input closes.
import { EmbeddedDatabaseBusyError, lockEmbeddedDatabase } from "../../src/db/embedded-lock.ts";

const [dataDir = "", startAt = "0", hold] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {
  // spin: a timer would blur the start by a millisecond or more
}
try {
  const lock = lockEmbeddedDatabase(dataDir, { command: "the lock test holder" });
  process.stdout.write("locked\n");
  if (hold === "hold") {
    process.stdin.resume();
    process.stdin.on("end", () => {
      lock.release();
      process.exit(0);
    });
  }
} catch (err) {
  if (!(err instanceof EmbeddedDatabaseBusyError)) throw err;
  process.stdout.write(`busy ${err.holder.pid}\n`);
  process.exitCode = 2;
}
