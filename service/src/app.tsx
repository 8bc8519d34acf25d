import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { serveAssets } from "./assets.ts";
import { CommitOutcomeUnknownError, KeyReusedError } from "./data/idempotency.ts";
import { describeCause, isDatabaseUnavailable } from "./db/errors.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { rateLimitedWarn } from "./lib/rate-limited.ts";
import { FailureThrottle } from "./lib/throttle.ts";
import { clientInfo, localHostsOnly } from "./middleware/client.ts";
import { compressPages } from "./middleware/compress.ts";
import { csrf } from "./middleware/csrf.ts";
import { publicHostsOnly } from "./middleware/public-host.ts";
import { requireUser, session } from "./middleware/session.ts";
import { isBrokenBody, utf8Only } from "./middleware/utf8.ts";
import { apiAnswersJson, apiRoutes, openApiDocument } from "./routes/api/index.ts";
import { apiTokenRoutes } from "./routes/api-tokens.tsx";
import { authRoutes } from "./routes/auth.tsx";
import { backupRoutes } from "./routes/backup.tsx";
import { budgetRoutes } from "./routes/budgets.tsx";
import { categoryRoutes } from "./routes/categories.tsx";
import { dashboardRoutes } from "./routes/dashboard.tsx";
import { healthRoutes } from "./routes/health.ts";
import { importRoutes } from "./routes/imports.tsx";
import { pwaRoutes } from "./routes/pwa.tsx";
import { recurringRoutes } from "./routes/recurring.tsx";
import { recurringEditRoutes } from "./routes/recurring-edit.tsx";
import { settingsRoutes } from "./routes/settings.tsx";
import { themeRoutes } from "./routes/theme.ts";
import { transactionBulkRoutes } from "./routes/transaction-bulk.tsx";
import { transactionEditRoutes } from "./routes/transaction-edit.tsx";
import { transactionExportRoutes } from "./routes/transaction-export.ts";
import { transactionRoutes } from "./routes/transactions.tsx";
import { userRoutes } from "./routes/users.tsx";
import { DEFAULT_BODY_BYTES, describeBytes, UPLOAD_LIMITS, uploadPath } from "./upload-limits.ts";
import { ApiReference } from "./views/api-reference.tsx";
import { errorPage } from "./views/errors.tsx";
import { page } from "./views/layout.tsx";

/** Largest request body accepted, in bytes, outside the routes of UPLOAD_LIMITS. */
export const MAX_BODY_BYTES = DEFAULT_BODY_BYTES;

/** Builds the whole web app. `server.ts` serves it; tests call `app.request()` on it. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const { logger } = deps;
  const warnOutage = rateLimitedWarn(logger, OUTAGE_LOG_INTERVAL_MS);

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = randomUUID();
    c.set("requestId", requestId);
    c.set("deps", deps);
    c.set("user", null);
    c.set("flash", undefined);
    c.header("X-Request-Id", requestId);
    await next();
    // While draining after SIGTERM, each answer ends its connection, so that no client reuses
    // one the server is about to close.
    if (deps.lifecycle?.stopping) closeConnection(c);
    // Health checkers ask /readyz about every two seconds: a success is not worth an info line.
    const routine = c.req.path === "/readyz" && c.res.status < 400;
    logger[routine ? "debug" : "info"]("request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    });
  });

  app.use(apiAnswersJson());
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
  app.use(compressPages());
  app.use(serveAssets());
  app.route("/", healthRoutes(warnOutage));
  // The service worker and its offline page are static and public: no session, no database.
  app.route("/", pwaRoutes({ retireServiceWorker: deps.retireServiceWorker }));
  // The JSON API answers with its own errors and needs none of the pages' session, CSRF or
  // sign-in middleware below: it accepts only bearer tokens.
  const api = apiRoutes({ warnOutage, describeError, rateLimit: deps.apiRateLimit, now: deps.now });
  app.route("/", api);
  app.use(async (c, next) => {
    if (deps.lifecycle && !deps.lifecycle.ready) return unavailablePage(c, "starting");
    await next();
  });

  app.use(bodyLimits());
  app.use(utf8Only());
  app.use(session());
  app.use(csrf());
  // Pages with someone's money on them stay out of the browser's cache and history.
  app.use(async (c, next) => {
    await next();
    // On the answer's own headers: c.header() after the answer is made would copy it whole, and
    // materialise its body as a stream on the way.
    const headers = c.res.headers;
    if (c.get("user") && !headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  });
  app.route("/", authRoutes(new FailureThrottle()));
  // The colour mode can be changed signed in or out.
  app.route("/", themeRoutes());
  // The API reference is public, like the document it is drawn from.
  app.get("/docs/api", (c) =>
    page(c, "API reference", <ApiReference doc={openApiDocument(api)} />),
  );

  app.use(requireUser());
  app.route("/", transactionRoutes());
  app.route("/", transactionExportRoutes());
  app.route("/", importRoutes());
  app.route("/", transactionBulkRoutes());
  app.route("/", transactionEditRoutes());
  app.route("/", categoryRoutes());
  app.route("/", budgetRoutes());
  app.route("/", recurringRoutes());
  app.route("/", recurringEditRoutes());
  app.route("/", dashboardRoutes());
  app.route("/", settingsRoutes());
  app.route("/", backupRoutes());
  app.route("/", apiTokenRoutes(new FailureThrottle()));
  app.route("/", userRoutes());

  app.notFound((c) => errorPage(c, 404, "This page does not exist, or it is not yours to see."));
  app.onError((err, c) => {
    if (isBrokenBody(err))
      return errorPage(c, 400, "The request body broke off before it was complete.");
    if (err instanceof HTTPException && err.status < 500) {
      return errorPage(c, err.status, err.message);
    }
    if (err instanceof KeyReusedError) return errorPage(c, 422, err.message);
    if (err instanceof CommitOutcomeUnknownError || isDatabaseUnavailable(err)) {
      warnOutage("database unreachable", {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: c.req.path,
        error: describeCause(err),
      });
      return unavailablePage(c, err instanceof CommitOutcomeUnknownError ? "unknown" : "down");
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

/** The 1 MB body limit, and each upload route's own (UPLOAD_LIMITS) for a POST to it. */
function bodyLimits(): MiddlewareHandler<AppEnv> {
  const limiter = (maxSize: number, message: string) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new HTTPException(413, { message });
      },
    });
  const general = limiter(
    MAX_BODY_BYTES,
    `The request is larger than ${describeBytes(MAX_BODY_BYTES)}.`,
  );
  const uploads = new Map(
    Object.entries(UPLOAD_LIMITS).map(([path, bytes]) => [
      path,
      limiter(
        bytes,
        `The file is larger than ${describeBytes(bytes)}, the most this page accepts. Split it into smaller files, or import it with npm run import:csv.`,
      ),
    ]),
  );
  return (c, next) => {
    // Nothing reads the body of a GET or HEAD, and asking for it costs a copy of the request.
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return (uploads.get(uploadPath(c.req.method, c.req.path) ?? "") ?? general)(c, next);
  };
}

/** How often an outage is logged, at most. */
export const OUTAGE_LOG_INTERVAL_MS = 10_000;
/** What a client is told to wait before trying again while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * 503 with a Retry-After while the database cannot be reached: at start-up, during an outage,
 * or when the answer to a commit was lost ("unknown": the change may be saved; the form's key
 * makes sending it again safe).
 */
function unavailablePage(c: Context<AppEnv>, why: "starting" | "down" | "unknown") {
  const write = c.req.method !== "GET" && c.req.method !== "HEAD";
  const change = !write
    ? ""
    : why === "unknown"
      ? " Your change may have been saved: the answer was lost on the way. Sending the form again is safe; it will not be saved twice."
      : " Your change was not saved.";
  const state =
    why === "starting"
      ? "The app is starting and waiting for its database."
      : "The database is unreachable right now.";
  c.header("Retry-After", String(RETRY_AFTER_SECONDS));
  return errorPage(c, 503, `${state}${change} Try again in a few seconds.`);
}

/** Adds `Connection: close` to the answer, copying it first if its headers are immutable. */
function closeConnection(c: Context<AppEnv>) {
  try {
    c.res.headers.set("Connection", "close");
  } catch {
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set("Connection", "close");
  }
}

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
