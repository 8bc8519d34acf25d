// The settings page's API tokens: create one (shown once, after the password), see when each was
// last used, revoke.
import type { Context } from "hono";
import { Hono } from "hono";
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  TooManyTokensError,
} from "../data/api-tokens.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { verifyPassword } from "../lib/password.ts";
import type { FailureThrottle } from "../lib/throttle.ts";
import { flash, now } from "../middleware/session.ts";
import { apiTokenForm, formValues, validForm } from "../validation.ts";
import { NewToken, TokenForm, TokenTable } from "../views/api-tokens.tsx";
import { Card, type FieldErrors, type FormValues } from "../views/form.tsx";
import { page } from "../views/layout.tsx";
import { PASSWORD_CHANGE_LIMIT } from "./auth.tsx";
import { pathId } from "./path-id.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

async function tokensPage(
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
  created?: { token: string; name: string },
) {
  const user = c.get("user") as User;
  const tokens = await listApiTokens(c.get("deps").db, user.id);
  return page(
    c,
    "API tokens",
    <div class="row justify-content-center">
      <div class="col-lg-10">
        <Card title="API tokens">
          <p>
            Scripts and apps use the JSON API at <code>/api/v1</code> with a token, sent as{" "}
            <code>Authorization: Bearer et_pat_…</code>. See the{" "}
            <a href="/docs/api">API reference</a>. A token acts as you: keep it secret, and revoke
            it if it leaks.
          </p>
          {created && <NewToken {...created} />}
          <TokenTable c={c} tokens={tokens} timeZone={user.timeZone} now={now(c)} />
          <h2 class="h5 mt-4">New token</h2>
          <TokenForm c={c} values={values} errors={errors} />
        </Card>
      </div>
    </div>,
    status,
  );
}

export function apiTokenRoutes(throttle: FailureThrottle) {
  const app = new Hono<AppEnv>();
  app.get("/settings/tokens", (c) => tokensPage(c, {}, {}));

  app.post(
    "/settings/tokens",
    validForm(apiTokenForm, (c, v, e) => tokensPage(c, v, e, 422)),
    async (c) => {
      const user = c.get("user") as User;
      const form = c.req.valid("form");
      const values = formValues(await c.req.parseBody());
      const key = `token-password:${user.id}`;
      const wait = throttle.waitSeconds({ [key]: PASSWORD_CHANGE_LIMIT });
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        const message = `Too many wrong passwords. Try again in ${wait} seconds.`;
        return tokensPage(c, values, { password: message }, 429);
      }
      throttle.record([key]);
      if (!(await verifyPassword(form.password, user.passwordHash))) {
        return tokensPage(c, values, { password: "That is not your password" }, 422);
      }
      throttle.forgive([key]);
      const at = now(c);
      const expiresAt =
        form.expires === "never" ? null : new Date(at.getTime() + Number(form.expires) * DAY_MS);
      try {
        const { token } = await createApiToken(
          c.get("deps").db,
          user.id,
          { name: form.name, scope: form.scope, expiresAt },
          at,
        );
        // Shown on this answer only (never in a redirect's flash cookie); the page is not cached.
        return tokensPage(c, {}, {}, 201, { token, name: form.name });
      } catch (err) {
        if (!(err instanceof TooManyTokensError)) throw err;
        return tokensPage(c, values, { _form: err.message }, 422);
      }
    },
  );

  app.post("/settings/tokens/:id/revoke", async (c) => {
    const id = pathId(c);
    const user = c.get("user") as User;
    if (!id || !(await revokeApiToken(c.get("deps").db, user.id, id))) return c.notFound();
    await flash(c, "Token revoked: requests with it are refused from now on.");
    return c.redirect("/settings/tokens", 303);
  });
  return app;
}
