// Applies the migrations, and creates or updates the app role:
//   npm run db:migrate -- [--app-role NAME --app-password-file FILE] [--wait SECONDS]
import { createLogger } from "../lib/logger.ts";
import { runMigrateCommand } from "../migrate-command.ts";

const logger = createLogger("info", undefined, process.stdout.isTTY ? "text" : "json");
process.exitCode = await runMigrateCommand(process.argv.slice(2), { env: process.env, logger });
