// The JSON API under /api/v1: its own sub-app, mounted before the web pages' session, CSRF and
// sign-in middleware, with its own error handler. Its zod schemas write the OpenAPI document.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env.ts";
import type { LogFields } from "../../lib/logger.ts";
import { RequestRateLimit } from "../../lib/rate-limit.ts";
import { FailureThrottle } from "../../lib/throttle.ts";
import { bearerAuth } from "./auth.ts";
import { budgetApi } from "./budgets.ts";
import { categoryApi } from "./categories.ts";
import { API_RETRY_AFTER_SECONDS, ApiError, apiErrorHandler, errorBody } from "./errors.ts";
import { apiInput, issueFields } from "./input.ts";
import { transactionApi } from "./transactions.ts";

export const API_PREFIX = "/api";
export const V1 = "/api/v1";
/** Requests per token and minute when API_RATE_LIMIT is not set. */
export const DEFAULT_API_RATE_LIMIT = 600;

export type ApiApp = OpenAPIHono<AppEnv>;

export interface ApiOptions {
  warnOutage: (msg: string, fields?: LogFields) => void;
  describeError: (err: Error) => LogFields;
  /** Requests per token and minute. Default DEFAULT_API_RATE_LIMIT. */
  rateLimit?: number | undefined;
  /** Clock for the rate limits. Default `() => new Date()`. */
  now?: (() => Date) | undefined;
}

const isApiPath = (path: string) => path === API_PREFIX || path.startsWith(`${API_PREFIX}/`);

/** Builds the API; mount it with `app.route("/", apiRoutes(...))`. */
export function apiRoutes(options: ApiOptions): ApiApp {
  const api = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const fields = issueFields(result.error.issues);
      if (result.target === "param") throw new ApiError(404, "There is no such item of yours.");
      const where = result.target === "json" ? "body" : result.target;
      throw new ApiError(
        result.target === "json" ? 422 : 400,
        `Some values in the ${where} are not accepted: ${Object.entries(fields)
          .map(([k, v]) => `${k}: ${v}`)
          .join("; ")}`,
        fields,
      );
    },
  });
  api.onError(apiErrorHandler(options.warnOutage, options.describeError));
  api.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A personal access token (`et_pat_...`) from the settings page.",
  });

  api.use(`${API_PREFIX}/*`, async (c, next) => {
    c.header("Cache-Control", "no-store");
    const { lifecycle } = c.get("deps");
    if (lifecycle && !lifecycle.ready) {
      throw new ApiError(
        503,
        "The app is starting and waiting for its database; try again shortly.",
        {},
        {
          "Retry-After": String(API_RETRY_AFTER_SECONDS),
        },
      );
    }
    await next();
  });
  api.get(`${V1}/openapi.json`, (c) => c.json(openApiDocument(api)));
  const clock = () => (options.now?.() ?? new Date()).getTime();
  api.use(
    `${V1}/*`,
    bearerAuth(
      new RequestRateLimit(options.rateLimit ?? DEFAULT_API_RATE_LIMIT, clock),
      new FailureThrottle(60_000, clock),
    ),
  );
  api.use(
    `${V1}/*`,
    apiInput((method, path) => operationOf(api, method, path)?.requestBody !== undefined),
  );
  transactionApi(api);
  categoryApi(api);
  budgetApi(api);
  const notFound = (c: Context<AppEnv>) => {
    const allowed = methodsOf(api, c.req.path);
    if (allowed.length > 0) {
      throw new ApiError(
        405,
        `${c.req.path} accepts ${allowed.join(", ")}.`,
        {},
        {
          Allow: allowed.join(", "),
        },
      );
    }
    throw new ApiError(
      404,
      `There is no such API path; the operations are listed at ${V1}/openapi.json.`,
    );
  };
  api.all(API_PREFIX, notFound);
  api.all(`${API_PREFIX}/*`, notFound);
  return api;
}

/** The document's path item for a concrete path, such as `/api/v1/transactions/7`. */
function pathItemOf(api: ApiApp, path: string): Record<string, { requestBody?: unknown }> {
  for (const [template, item] of Object.entries(openApiDocument(api).paths ?? {})) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(path)) return (item ?? {}) as Record<string, { requestBody?: unknown }>;
  }
  return {};
}

const methodsOf = (api: ApiApp, path: string) =>
  Object.keys(pathItemOf(api, path)).map((m) => m.toUpperCase());

const operationOf = (api: ApiApp, method: string, path: string) =>
  pathItemOf(api, path)[method.toLowerCase()];

const documents = new WeakMap<ApiApp, ReturnType<ApiApp["getOpenAPI31Document"]>>();

/** The OpenAPI 3.1 document of every operation registered on `api`, built once. */
export function openApiDocument(api: ApiApp) {
  const built = documents.get(api);
  if (built) return built;
  const document = api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Expense Tracker API",
      version: "1.0.0",
      description:
        'Transactions, categories and budgets of the token\'s user. Amounts are decimal strings with two decimals, dates ISO dates (YYYY-MM-DD). Errors are {"error": {"code", "message", "fields"}}.',
    },
    security: [{ bearerAuth: [] }],
  });
  documents.set(api, document);
  return document;
}

/**
 * For the top of the web app: an answer under /api that is not JSON (a host refused by the
 * middleware before the API, as text) becomes the API's JSON error, so no API client ever gets
 * another shape.
 */
export function apiAnswersJson(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!isApiPath(c.req.path) || c.res.status < 400) return;
    if ((c.res.headers.get("content-type") ?? "").startsWith("application/json")) return;
    const plain = (c.res.headers.get("content-type") ?? "").startsWith("text/plain");
    const message = plain ? (await c.res.clone().text()).slice(0, 500) : "The request was refused.";
    const headers = new Headers(c.res.headers);
    headers.set("content-type", "application/json");
    headers.delete("content-length");
    c.res = new Response(JSON.stringify(errorBody(c.res.status, message)), {
      status: c.res.status,
      headers,
    });
  };
}
