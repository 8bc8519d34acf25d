import type { Context } from "hono";
import { Hono } from "hono";
import { createUser, deleteUser, EmailTakenError, findUserById, listUsers } from "../data/users.ts";
import type { User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { flash } from "../middleware/session.ts";
import { accountForm, validForm } from "../validation.ts";
import { Card, Field, type FieldErrors, type FormValues, KeyField } from "../views/form.tsx";
import { Icon } from "../views/icon.tsx";
import { CsrfField, page } from "../views/layout.tsx";
import { pathId } from "./path-id.ts";
import { newKey, submitOnce } from "./submit-once.ts";

async function usersPage(
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
) {
  const members = await listUsers(c.get("deps").db);
  return page(
    c,
    "Household",
    <div class="row g-4">
      <div class="col-lg-7">
        <Card title="Household members">
          <ul class="list-group">
            {members.map((u) => (
              <li class="list-group-item d-flex justify-content-between align-items-center">
                <span>
                  {u.email} {u.isOwner && <span class="badge text-bg-secondary">owner</span>}
                </span>
                {!u.isOwner && (
                  <a class="btn btn-sm btn-outline-danger" href={`/users/${u.id}/delete`}>
                    <Icon name="trash" /> Remove
                  </a>
                )}
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <div class="col-lg-5">
        <Card title="Add a member">
          <p class="text-body-secondary small">
            Each member signs in with their own email and password and sees only their own
            transactions.
          </p>
          <form method="post" action="/users" novalidate>
            <CsrfField c={c} />
            <KeyField values={values} />
            <Field
              name="email"
              label="Email"
              type="email"
              autocomplete="off"
              required
              values={values}
              errors={errors}
            />
            <Field
              name="password"
              label="First password"
              type="password"
              autocomplete="new-password"
              required
              help="At least 8 characters; they can change it."
              values={{}}
              errors={errors}
            />
            <button class="btn btn-primary" type="submit">
              <Icon name="person-plus" /> Add member
            </button>
          </form>
        </Card>
      </div>
    </div>,
    status,
  );
}

const memberId = (c: Context<AppEnv>) => pathId(c) ?? 0;

/** The owner adds and removes household members. */
export function userRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/users", async (c, next) => ((c.get("user") as User).isOwner ? next() : c.notFound()));
  app.use("/users/*", async (c, next) => ((c.get("user") as User).isOwner ? next() : c.notFound()));

  app.get("/users", (c) => usersPage(c, { _key: newKey() }, {}));

  app.post("/users", validForm(accountForm, usersPage), async (c) => {
    const { email, password } = c.req.valid("form");
    try {
      return await submitOnce(c, async (tx) => {
        await createUser(tx, { email, password, timeZone: (c.get("user") as User).timeZone });
        return { location: "/users", flash: `Added ${email}. They can sign in now.` };
      });
    } catch (err) {
      if (err instanceof EmailTakenError) {
        const { _key } = await c.req.parseBody();
        return usersPage(
          c,
          { email, _key: typeof _key === "string" ? _key : newKey() },
          { email: "There is already an account with this email" },
          422,
        );
      }
      throw err;
    }
  });

  app.get("/users/:id/delete", async (c) => {
    const member = await findUserById(c.get("deps").db, memberId(c));
    if (!member || member.isOwner) return c.notFound();
    return page(
      c,
      "Remove member",
      <div class="row justify-content-center">
        <div class="col-md-7">
          <Card title={`Remove ${member.email}?`}>
            <p>Their account and all of their transactions are deleted. This cannot be undone.</p>
            <form method="post" action={`/users/${member.id}/delete`}>
              <CsrfField c={c} />
              <button class="btn btn-danger" type="submit">
                Remove
              </button>{" "}
              <a class="btn btn-link" href="/users">
                Cancel
              </a>
            </form>
          </Card>
        </div>
      </div>,
    );
  });

  app.post("/users/:id/delete", async (c) => {
    const { db } = c.get("deps");
    const member = await findUserById(db, memberId(c));
    if (!member || member.isOwner) return c.notFound();
    await deleteUser(db, member.id);
    await flash(c, `Removed ${member.email}.`);
    return c.redirect("/users", 303);
  });
  return app;
}
