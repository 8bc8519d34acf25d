// Every API error is JSON of one shape, {"error": {"code", "message", "fields"}}, whatever threw.
import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CommitOutcomeUnknownError, KeyReusedError } from "../../data/idempotency.ts";
import { describeCause, isDatabaseUnavailable } from "../../db/errors.ts";
import type { AppEnv } from "../../env.ts";
import type { LogFields } from "../../lib/logger.ts";
import { isBrokenBody } from "../../middleware/utf8.ts";

/** The machine-readable code for each status the API answers with. */
export const ERROR_CODES = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  421: "misdirected_request",
  422: "validation_failed",
  429: "rate_limited",
  500: "internal_error",
  503: "unavailable",
} as const;

export type ErrorStatus = keyof typeof ERROR_CODES;

/** What a client is told to wait before trying again while the database is unreachable. */
export const API_RETRY_AFTER_SECONDS = 5;

/** An error the API answers with as it is: status, sentence and, for bad input, one per field. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function errorBody(status: number, message: string, fields: Record<string, string> = {}) {
  const code = ERROR_CODES[status as ErrorStatus] ?? (status >= 500 ? "internal_error" : "error");
  return { error: { code, message, fields } };
}

export function errorResponse(
  c: Context<AppEnv>,
  status: number,
  message: string,
  fields: Record<string, string> = {},
) {
  c.header("Cache-Control", "no-store");
  return c.json(errorBody(status, message, fields), status as ContentfulStatusCode);
}

const NOT_SAVED = "The database is unreachable right now; nothing was changed. Try again shortly.";
const MAYBE_SAVED =
  "The database connection was lost while saving: the change may or may not be stored. Sending the same request again with the same Idempotency-Key is safe.";

/** The API's error handler: never HTML, never a stack trace. */
export function apiErrorHandler(
  warnOutage: (msg: string, fields?: LogFields) => void,
  describeError: (err: Error) => LogFields,
): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
      return errorResponse(c, err.status, err.message, err.fields);
    }
    if (isBrokenBody(err)) {
      return errorResponse(c, 400, "The request body broke off before it was complete.");
    }
    if (err instanceof HTTPException && err.status < 500) {
      return errorResponse(c, err.status, err.message || "The request was refused.");
    }
    if (err instanceof KeyReusedError) {
      return errorResponse(
        c,
        422,
        "This Idempotency-Key was already used with a different request; use a new key for a new request.",
        { "Idempotency-Key": "Already used with a different request" },
      );
    }
    const requestFields = {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
    };
    if (err instanceof CommitOutcomeUnknownError || isDatabaseUnavailable(err)) {
      warnOutage("database unreachable", { ...requestFields, error: describeCause(err) });
      c.header("Retry-After", String(API_RETRY_AFTER_SECONDS));
      return errorResponse(
        c,
        503,
        err instanceof CommitOutcomeUnknownError ? MAYBE_SAVED : NOT_SAVED,
      );
    }
    c.get("deps").logger.error("unhandled error", {
      ...requestFields,
      ...describeError(err),
    });
    return errorResponse(
      c,
      500,
      `Something went wrong on our side; the change may not have been saved. Reference: ${c.get("requestId")}`,
    );
  };
}
