// Creates an account from the command line:  npm run user:add -- --email you@example.com [--owner]
// The password is read from standard input (typed, or piped from a file or secret store).
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import * as z from "zod";
import { loadConfigOrReport } from "../config.ts";
import { countUsers, createUser, EmailTakenError } from "../data/users.ts";
import { migrate } from "../db/migrate.ts";
import { openDatabaseForCommand } from "../startup.ts";

const USAGE = "usage: npm run user:add -- --email you@example.com [--owner]  (password on stdin)";

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Password (at least 8 characters): ");
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return "";
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: "string" }, owner: { type: "boolean", default: false } },
  });
  const email = z.email().safeParse(values.email?.trim().toLowerCase());
  if (!email.success) {
    console.error(
      `--email ${JSON.stringify(values.email ?? "")} is not an email address\n${USAGE}`,
    );
    return 2;
  }
  const config = loadConfigOrReport(process.env);
  if (!config) return 2;
  // Opened before the password is asked for, so a busy database is said at once.
  const database = await openDatabaseForCommand(config, "npm run user:add");
  if (!database) return 2;
  try {
    const password = await readPassword();
    if (password.length < 8 || password.length > 200) {
      console.error("the password must be 8 to 200 characters (read from standard input)");
      return 2;
    }
    await migrate(database.db);
    // The first account of an installation owns it.
    const isOwner = values.owner || (await countUsers(database.db)) === 0;
    await createUser(database.db, { email: email.data, password, isOwner });
    console.log(`created ${email.data}${isOwner ? " (owner)" : ""}`);
    return 0;
  } catch (err) {
    if (err instanceof EmailTakenError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}

process.exitCode = await main();
