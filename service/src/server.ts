import { Server } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.tsx";
import { loadConfigOrReport } from "./config.ts";
import type { Database } from "./db/client.ts";
import { EmbeddedDatabaseBusyError } from "./db/embedded-lock.ts";
import type { Lifecycle } from "./env.ts";
import { backgroundJobs } from "./jobs/index.ts";
import { createLogger } from "./lib/logger.ts";
import { SERVER_TIMEOUTS } from "./server-timeouts.ts";
import { openServerDatabase, StartupError, waitForDatabase } from "./startup.ts";

/** How long in-flight requests get to finish after SIGTERM/SIGINT (the unit's stop timeout is longer). */
const SHUTDOWN_GRACE_MS = 8_000;
/**
 * After SIGTERM, how long an idle keep-alive connection may stay open for its client's next
 * request (which is answered, with `Connection: close`) before the server closes it.
 */
const IDLE_LINGER_MS = 1_000;

declare const __EMBEDDED_DB__: boolean | undefined;
const embeddedAvailable = typeof __EMBEDDED_DB__ === "undefined" ? true : __EMBEDDED_DB__;

async function main(): Promise<void> {
  const config = loadConfigOrReport(process.env, {
    embeddedAvailable,
    terminal: process.stdout.isTTY === true,
  });
  if (!config) process.exit(2);
  const logger = createLogger(config.logLevel, undefined, config.interactive ? "text" : "json");
  let database: Database;
  try {
    // PostgreSQL is not dialled yet: the pool connects on first use.
    database = await openServerDatabase(config);
  } catch (err) {
    if (err instanceof EmbeddedDatabaseBusyError) {
      console.error(err.message);
      process.exit(2);
    }
    logger.error("start-up failed", { error: (err as Error).message });
    process.exit(1);
  }

  const lifecycle: Lifecycle = {
    ready: false,
    reason: "connecting to the database",
    stopping: false,
  };
  // Started once the database is ready; stopped on shutdown before the database closes.
  const jobs = backgroundJobs({ db: database.db, logger });
  const app = createApp({
    db: database.db,
    logger,
    sessionSecret: config.sessionSecret,
    trustProxy: config.trustProxy,
    publicOrigins: config.publicOrigins,
    localMode: config.localMode,
    apiRateLimit: config.apiRateLimit,
    instanceDump: database.dump,
    retireServiceWorker: config.serviceWorker === "retire",
    lifecycle,
    wakeRecurring: () => jobs.wakeRecurring(),
  });
  // Listening comes first, so that /healthz answers while the database is still unreachable.
  const options = { fetch: app.fetch, port: config.port, hostname: config.host };
  const server = serve({ ...options, serverOptions: SERVER_TIMEOUTS }, (info) => {
    const shown = info.address.includes(":") ? `[${info.address}]` : info.address;
    const url = `http://${shown === "127.0.0.1" ? "localhost" : shown}:${info.port}`;
    if (config.interactive) console.log(`Expense Tracker is running at ${url}  (Ctrl-C stops it)`);
    logger.info("listening", { url, localMode: config.localMode, database: database.kind });
  });
  server.once("error", async (err: NodeJS.ErrnoException) => {
    const reason =
      err.code === "EADDRINUSE"
        ? `port ${config.port} on ${config.host} is already in use (another Expense Tracker, or another program); stop that, or choose another port: PORT=${config.port + 1} npm start`
        : err.code === "EACCES"
          ? `port ${config.port} on ${config.host} needs privileges this user lacks; choose a port above 1023 with PORT=`
          : `cannot listen on ${config.host}:${config.port}: ${err.message}`;
    console.error(reason);
    await database.close().catch(() => {});
    process.exit(2);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    lifecycle.stopping = true;
    logger.info("shutting down", { signal });
    const force = setTimeout(() => {
      logger.warn("requests still running after the grace period; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    // Stop accepting, but not through http.Server#close, which also drops every idle keep-alive
    // connection at once, under clients that are sending their next request on it right then
    // (a reset). Instead each answer now says `Connection: close`, and a connection that stays
    // idle for IDLE_LINGER_MS is closed between requests.
    Server.prototype.close.call(server, async () => {
      try {
        await jobs.stop();
        await database.close();
      } catch (err) {
        logger.warn("closing the database failed", { error: (err as Error).message });
      }
      logger.info("stopped");
      process.exit(0);
    });
    if ("closeIdleConnections" in server) {
      setTimeout(() => {
        server.closeIdleConnections();
        setInterval(() => server.closeIdleConnections(), 100).unref();
      }, IDLE_LINGER_MS).unref();
    }
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  try {
    await waitForDatabase(database, config, logger, (reason) => {
      lifecycle.reason = reason;
    });
    lifecycle.ready = true;
    if (!stopping) jobs.start();
  } catch (err) {
    logger.error("start-up failed", { error: (err as Error).message });
    await database.close().catch(() => {});
    process.exit(err instanceof StartupError ? 2 : 1);
  }
}

await main();
