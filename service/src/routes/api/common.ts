// What the API's operations share: documented error answers, the signed-in user, and creating
// with an Idempotency-Key.
import type { Context } from "hono";
import { idempotent, requestHash } from "../../data/idempotency.ts";
import type { Db } from "../../db/client.ts";
import type { User } from "../../db/schema.ts";
import type { AppEnv } from "../../env.ts";
import { now } from "../../middleware/session.ts";
import { ERROR_CODES, type ErrorStatus } from "./errors.ts";
import { ErrorSchema } from "./schemas.ts";

const WHY: Record<ErrorStatus, string> = {
  400: "The query, a header or the body's syntax is not accepted.",
  401: "No token, or a token that is unknown, revoked or expired.",
  403: "The token is read-only.",
  404: "No such item of this user's.",
  405: "Method not allowed.",
  409: "The change conflicts with what is stored.",
  413: "The body is larger than 1 MB.",
  415: "The body is not application/json.",
  421: "The request named a host this server does not answer at.",
  422: "A field is not accepted; `fields` says which and why.",
  429: "Too many requests; wait for Retry-After seconds.",
  500: "An error on the server's side.",
  503: "The database is unreachable; try again after Retry-After seconds.",
};

/** The error answers an operation can give, besides those every operation can. */
export function errors(...statuses: ErrorStatus[]) {
  const all = new Set<ErrorStatus>([400, 401, 421, 429, 500, 503, ...statuses]);
  return Object.fromEntries(
    [...all].sort().map((s) => [
      s,
      {
        description: `${ERROR_CODES[s]}: ${WHY[s]}`,
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  ) as Record<
    ErrorStatus,
    { description: string; content: { "application/json": { schema: typeof ErrorSchema } } }
  >;
}

/** Errors of an operation that writes a JSON body. */
export const WRITE_ERRORS = [403, 413, 415, 422] as const;

export const json = <T>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** The token's user (the bearer middleware has set it). */
export const apiUser = (c: Context<AppEnv>) => c.get("user") as User;

/**
 * Creates something once per Idempotency-Key: `change` runs in a transaction that also records
 * the answer; the same key and body again (within 24 hours) gets that answer, marked
 * `Idempotent-Replayed: true`, and changes nothing.
 */
export async function createOnce(
  c: Context<AppEnv>,
  key: string | undefined,
  input: Record<string, unknown>,
  change: (tx: Db) => Promise<{ location: string; body: unknown }>,
): Promise<Response> {
  const { db, sessionSecret } = c.get("deps");
  const { answer, replayed } = await idempotent(
    db,
    {
      userId: apiUser(c).id,
      key,
      hash: requestHash(sessionSecret, c.req.method, c.req.path, input),
    },
    async (tx) => {
      const made = await change(tx);
      return { status: 201, location: made.location, body: JSON.stringify(made.body) };
    },
    now(c),
  );
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (answer.location) headers.Location = answer.location;
  if (replayed) headers["Idempotent-Replayed"] = "true";
  return c.body(answer.body ?? "{}", answer.status as 201, headers);
}
