import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.ts";
import { page } from "./layout.tsx";

const TITLES: Record<number, string> = {
  400: "Bad request",
  403: "Not allowed",
  404: "Not found",
  413: "Too large",
  422: "Cannot do that",
  429: "Too many requests",
  500: "Something went wrong",
  503: "Temporarily unavailable",
};

/** An error page: a title, one sentence and a way back; never a stack trace. */
export function errorPage(c: Context<AppEnv>, status: number, message: string) {
  const title = TITLES[status] ?? "Error";
  const requestId = c.get("requestId");
  return page(
    c,
    title,
    <div class="text-center py-5">
      <h1 class="display-6">{title}</h1>
      <p class="lead">{message}</p>
      {status >= 500 && requestId && (
        <p class="text-body-secondary small">Reference: {requestId}</p>
      )}
      <a class="btn btn-primary" href="/">
        Back to your transactions
      </a>
    </div>,
    status as ContentfulStatusCode,
  );
}
