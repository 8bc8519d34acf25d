import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { deleteOtherSessions } from "../data/sessions.ts";
import { countUsers, createFirstOwner, findUserByEmail, updatePassword } from "../data/users.ts";
import type { AppEnv } from "../env.ts";
import { DUMMY_HASH_PROMISE, verifyPassword } from "../lib/password.ts";
import { safeNext } from "../lib/safe-path.ts";
import { FailureThrottle } from "../lib/throttle.ts";
import { flash, requireUser, SESSION_COOKIE, signIn, signOut } from "../middleware/session.ts";
import { accountForm, passwordForm, signInForm, validForm } from "../validation.ts";
import { Card, Field, type FieldErrors, FormAlert, type FormValues } from "../views/form.tsx";
import { CsrfField, page } from "../views/layout.tsx";
import { limitsFor, rememberDevice } from "./sign-in-guard.ts";

export { SIGN_IN_LIMITS } from "./sign-in-guard.ts";

/** Wrong current passwords allowed per minute on the password page. */
export const PASSWORD_CHANGE_LIMIT = 5;

function signInPage(c: Context<AppEnv>, values: FormValues, errors: FieldErrors, status = 200) {
  return page(
    c,
    "Sign in",
    <div class="row justify-content-center">
      <div class="col-md-6 col-lg-4">
        <Card title="Sign in">
          <FormAlert errors={errors} />
          <form method="post" action="/signin" novalidate>
            <CsrfField c={c} />
            <input type="hidden" name="next" value={values.next ?? c.req.query("next") ?? "/"} />
            <Field
              name="email"
              label="Email"
              type="email"
              autocomplete="username"
              required
              values={values}
              errors={errors}
            />
            <Field
              name="password"
              label="Password"
              type="password"
              autocomplete="current-password"
              required
              values={{}}
              errors={errors}
            />
            <button class="btn btn-primary w-100" type="submit">
              Sign in
            </button>
          </form>
        </Card>
      </div>
    </div>,
    status,
  );
}

function setupPage(c: Context<AppEnv>, values: FormValues, errors: FieldErrors) {
  return page(
    c,
    "Create your account",
    <div class="row justify-content-center">
      <div class="col-md-6 col-lg-5">
        <Card title="Welcome: create your account">
          <p class="text-body-secondary">
            This is a new installation. The account you create here owns it and can add other
            members of the household later.
          </p>
          <FormAlert errors={errors} />
          <form method="post" action="/setup" novalidate>
            <CsrfField c={c} />
            <Field
              name="email"
              label="Email"
              type="email"
              autocomplete="username"
              required
              values={values}
              errors={errors}
            />
            <Field
              name="password"
              label="Password"
              type="password"
              autocomplete="new-password"
              required
              help="At least 8 characters."
              values={{}}
              errors={errors}
            />
            <button class="btn btn-primary w-100" type="submit">
              Create account
            </button>
          </form>
        </Card>
      </div>
    </div>,
  );
}

function passwordPage(c: Context<AppEnv>, errors: FieldErrors, status = 200) {
  return page(
    c,
    "Change password",
    <div class="row justify-content-center">
      <div class="col-md-6 col-lg-5">
        <Card title="Change password">
          <form method="post" action="/account/password" novalidate>
            <CsrfField c={c} />
            <Field
              name="current"
              label="Current password"
              type="password"
              autocomplete="current-password"
              required
              values={{}}
              errors={errors}
            />
            <Field
              name="password"
              label="New password"
              type="password"
              autocomplete="new-password"
              required
              help="At least 8 characters."
              values={{}}
              errors={errors}
            />
            <Field
              name="confirm"
              label="New password again"
              type="password"
              autocomplete="new-password"
              required
              values={{}}
              errors={errors}
            />
            <button class="btn btn-primary" type="submit">
              Change password
            </button>
          </form>
        </Card>
      </div>
    </div>,
    status,
  );
}

/** Sign in and out, the first-run page (local mode only), and password change. */
export function authRoutes(throttle = new FailureThrottle()) {
  const app = new Hono<AppEnv>();

  /** The first-run page exists only in local mode, and only while there is no account. */
  const setupOpen = async (c: Context<AppEnv>) =>
    c.get("deps").localMode && (await countUsers(c.get("deps").db)) === 0;

  app.get("/signin", async (c) => {
    if (c.get("user")) return c.redirect("/", 303);
    if (await setupOpen(c)) return c.redirect("/setup", 303);
    return signInPage(c, {}, {});
  });

  app.post(
    "/signin",
    validForm(signInForm, (c, v, e) => signInPage(c, v, e)),
    async (c) => {
      const { email, password, next } = c.req.valid("form");
      const account = email.trim().toLowerCase();
      const ip = c.get("client").ip;
      const limits = limitsFor(c, account);
      const keys = Object.keys(limits);
      const values = { email, next };
      const wait = throttle.waitSeconds(limits);
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return signInPage(
          c,
          values,
          { _form: `Too many failed sign-ins. Try again in ${wait} seconds.` },
          429,
        );
      }
      // Counted before the slow check, so that parallel guesses cannot all get through.
      throttle.record(keys);
      const user = await findUserByEmail(c.get("deps").db, account);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !ok) {
        c.get("deps").logger.warn("sign-in failed", { requestId: c.get("requestId"), ip });
        return signInPage(
          c,
          values,
          { _form: "That email and password do not match an account." },
          401,
        );
      }
      throttle.forgive(keys);
      await signIn(c, user.id);
      rememberDevice(c, account);
      return c.redirect(safeNext(next), 303);
    },
  );

  app.post("/signout", async (c) => {
    await signOut(c);
    await flash(c, "You are signed out.", "info");
    return c.redirect("/signin", 303);
  });

  app.get("/setup", async (c) => {
    if (!(await setupOpen(c))) return c.notFound();
    return setupPage(c, {}, {});
  });

  app.post(
    "/setup",
    async (c, next) => ((await setupOpen(c)) ? next() : c.notFound()),
    validForm(accountForm, setupPage),
    async (c) => {
      const { email, password } = c.req.valid("form");
      // Two first-run forms sent at once create one owner; the other goes to the sign-in page.
      const user = await createFirstOwner(c.get("deps").db, { email, password });
      if (!user) return c.redirect("/signin", 303);
      await signIn(c, user.id);
      await flash(c, "Your account is ready. Add your first transaction.");
      return c.redirect("/", 303);
    },
  );

  app.use("/account/*", requireUser());

  app.get("/account/password", (c) => passwordPage(c, {}));

  app.post(
    "/account/password",
    validForm(passwordForm, (c, _v, e) => passwordPage(c, e)),
    async (c) => {
      const user = c.get("user");
      if (!user) return c.notFound();
      const { current, password } = c.req.valid("form");
      const key = [`password:${user.id}`];
      const wait = throttle.waitSeconds({ [`password:${user.id}`]: PASSWORD_CHANGE_LIMIT });
      if (wait > 0) {
        c.header("Retry-After", String(wait));
        return passwordPage(
          c,
          { current: `Too many wrong passwords. Try again in ${wait} seconds.` },
          429,
        );
      }
      throttle.record(key);
      if (!(await verifyPassword(current, user.passwordHash))) {
        return passwordPage(c, { current: "That is not your current password" }, 422);
      }
      throttle.forgive(key);
      const { db } = c.get("deps");
      await updatePassword(db, user.id, password);
      await deleteOtherSessions(db, user.id, getCookie(c, SESSION_COOKIE) ?? "");
      // A new session for this browser too: a copy of the old cookie, wherever it went, is void.
      await signIn(c, user.id);
      await flash(c, "Your password is changed. Other devices are signed out.");
      return c.redirect("/settings", 303);
    },
  );

  return app;
}
