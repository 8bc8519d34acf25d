import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { idempotent, KEY_PATTERN, newKey, requestHash } from "../data/idempotency.ts";
import type { Db } from "../db/client.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { flash, now } from "../middleware/session.ts";

export { newKey };

/** What a create form's change leads to: the page to go to, and what it says there. */
export interface Outcome {
  location: string;
  flash: string;
}

/**
 * Saves a create form once: `change` runs in a transaction, and the form's `_key` (see KeyField)
 * is recorded with its outcome in that transaction. Sent again with the same key and values (a
 * double click, a retry after a lost answer) the stored outcome is replayed and nothing is saved;
 * with other values, 422. A post without a key is saved as it comes.
 */
export async function submitOnce(
  c: Context<AppEnv>,
  change: (tx: Db) => Promise<Outcome>,
): Promise<Response> {
  const body = await c.req.parseBody();
  const raw = body._key;
  const key = typeof raw === "string" && raw !== "" ? raw : undefined;
  if (key !== undefined && !KEY_PATTERN.test(key)) {
    throw new HTTPException(400, {
      message: "The form's key is not valid (16 to 100 letters, digits, - or _). Reload the page.",
    });
  }
  const fields = Object.fromEntries(
    Object.entries(body).filter(([k, v]) => k !== "_csrf" && k !== "_key" && typeof v === "string"),
  );
  const { db, sessionSecret } = c.get("deps");
  const { answer } = await idempotent(
    db,
    {
      userId: (c.get("user") as User).id,
      key,
      hash: requestHash(sessionSecret, c.req.method, c.req.path, fields),
    },
    async (tx) => ({ status: 303, ...(await change(tx)) }),
    now(c),
  );
  if (answer.flash) await flash(c, answer.flash);
  return c.redirect(answer.location ?? "/", 303);
}
