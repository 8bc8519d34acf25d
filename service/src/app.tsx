import { randomUUID } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { serveAssets } from "./assets.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { FailureThrottle } from "./lib/throttle.ts";
import { clientInfo, localHostsOnly } from "./middleware/client.ts";
import { csrf } from "./middleware/csrf.ts";
import { publicHostsOnly } from "./middleware/public-host.ts";
import { requireUser, session } from "./middleware/session.ts";
import { isBrokenBody, utf8Only } from "./middleware/utf8.ts";
import { authRoutes } from "./routes/auth.tsx";
import { healthRoutes } from "./routes/health.ts";
import { settingsRoutes } from "./routes/settings.tsx";
import { summaryRoutes } from "./routes/summary.tsx";
import { transactionRoutes } from "./routes/transactions.tsx";
import { userRoutes } from "./routes/users.tsx";
import { errorPage } from "./views/errors.tsx";

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Builds the whole web app. `server.ts` serves it; tests call `app.request()` on it. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { logger } = deps;

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    c.set("requestId", requestId);
    c.set("deps", deps);
    c.set("user", null);
    c.set("flash", undefined);
    c.header("X-Request-Id", requestId);
    await next();
    logger.info("request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Bootstrap draws form and navbar icons with data: SVGs in its CSS.
        imgSrc: ["'self'", "data:"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: "same-origin",
    }),
  );
  app.use(clientInfo(deps.trustProxy));
  if (deps.localMode) app.use(localHostsOnly());
  if (deps.publicOrigins?.length) app.use(publicHostsOnly(deps.publicOrigins));
  app.use(serveAssets());
  app.route("/", healthRoutes());

  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new HTTPException(413, { message: "The request is larger than 1 MB." });
      },
    }),
  );
  app.use(utf8Only());
  app.use(session());
  app.use(csrf());
  // Pages with someone's money on them stay out of the browser's cache and history.
  app.use(async (c, next) => {
    await next();
    if (c.get("user") && !c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  });
  app.route("/", authRoutes(new FailureThrottle()));

  app.use(requireUser());
  app.route("/", transactionRoutes());
  app.route("/", summaryRoutes());
  app.route("/", settingsRoutes());
  app.route("/", userRoutes());

  app.notFound((c) => errorPage(c, 404, "This page does not exist, or it is not yours to see."));
  app.onError((err, c) => {
    if (isBrokenBody(err))
      return errorPage(c, 400, "The request body broke off before it was complete.");
    if (err instanceof HTTPException && err.status < 500) {
      return errorPage(c, err.status, err.message);
    }
    logger.error("unhandled error", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      ...describeError(err),
    });
    return errorPage(
      c,
      500,
      "Something went wrong on our side. Your change may not have been saved.",
    );
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/**
 * What to log about an unexpected error. A failed database query's message lists its parameters
 * (emails, titles, password hashes): log the SQL, PostgreSQL's code and reason instead.
 */
export function describeError(err: Error): Record<string, unknown> {
  const cause = err.cause as { message?: string; code?: string; stack?: string } | undefined;
  if ("query" in err && "params" in err) {
    return {
      error: `database query failed: ${cause?.message ?? "no reason given"}`,
      query: String(err.query),
      pgCode: cause?.code,
      stack: cause?.stack,
    };
  }
  return { error: err.message, stack: err.stack };
}
