// The user's own categories: add, rename, recolour, and remove (moving what they hold).
import type { Context } from "hono";
import { Hono } from "hono";
import {
  CategoryRefusedError,
  countCategoryRules,
  createCategory,
  getCategory,
  listCategoriesWithUse,
  removeCategory,
  updateCategory,
} from "../data/categories.ts";
import { type Category, MAX_CATEGORIES, type User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { flash } from "../middleware/session.ts";
import {
  categoryEditForm,
  categoryForm,
  categoryRemoveForm,
  fieldErrors,
  validForm,
} from "../validation.ts";
import { CategoryTable, ColourField, NameField } from "../views/categories.tsx";
import {
  Card,
  type FieldErrors,
  FormAlert,
  type FormValues,
  KeyField,
  Select,
} from "../views/form.tsx";
import { CsrfField, page } from "../views/layout.tsx";
import { KIND_OPTIONS } from "../views/transactions.tsx";
import { pathId } from "./path-id.ts";
import { newKey, submitOnce } from "./submit-once.ts";

const currentUser = (c: Context<AppEnv>) => c.get("user") as User;

async function categoriesPage(
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
) {
  const rows = await listCategoriesWithUse(c.get("deps").db, currentUser(c).id);
  return page(
    c,
    "Categories",
    <div class="row g-4">
      <div class="col-lg-7">
        <h1 class="h3 mb-3">Categories</h1>
        <CategoryTable title="For expenses" rows={rows.filter((r) => r.kind === "expense")} />
        <CategoryTable title="For income" rows={rows.filter((r) => r.kind === "income")} />
      </div>
      <div class="col-lg-5">
        <Card title="Add a category">
          <form method="post" action="/categories" novalidate>
            <CsrfField c={c} />
            <KeyField values={values} />
            <FormAlert errors={errors} />
            <NameField values={values} errors={errors} />
            <Select
              name="kind"
              label="For"
              options={KIND_OPTIONS}
              values={values}
              errors={errors}
            />
            <ColourField values={values} errors={errors} />
            <p class="form-text">
              Names are unique whatever their case; you can have up to {MAX_CATEGORIES}.
            </p>
            <button class="btn btn-primary" type="submit">
              Add category
            </button>
          </form>
        </Card>
      </div>
    </div>,
    status,
  );
}

function editPage(
  c: Context<AppEnv>,
  cat: Category,
  values: FormValues,
  errors: FieldErrors,
  status = 200,
) {
  return page(
    c,
    "Edit category",
    <div class="row justify-content-center">
      <div class="col-md-7 col-lg-5">
        <Card title={`Edit “${cat.name}”`}>
          <form method="post" action={`/categories/${cat.id}`} novalidate>
            <CsrfField c={c} />
            <FormAlert errors={errors} />
            <NameField values={values} errors={errors} />
            <ColourField values={values} errors={errors} />
            <p class="form-text">For {cat.kind === "income" ? "income" : "expenses"}.</p>
            <button class="btn btn-primary" type="submit">
              Save
            </button>{" "}
            <a class="btn btn-link" href="/categories">
              Cancel
            </a>
          </form>
        </Card>
      </div>
    </div>,
    status,
  );
}

async function removePage(c: Context<AppEnv>, cat: Category, errors: FieldErrors, status = 200) {
  const rows = await listCategoriesWithUse(c.get("deps").db, currentUser(c).id);
  const transactions = rows.find((r) => r.id === cat.id)?.transactions ?? 0;
  const rules = await countCategoryRules(c.get("deps").db, currentUser(c).id, cat.id);
  // What moves to the category chosen: its transactions and its recurring rules.
  const held = transactions + rules;
  const what = [
    transactions > 0 ? `${transactions} transaction${transactions === 1 ? "" : "s"}` : "",
    rules > 0 ? `${rules} recurring rule${rules === 1 ? "" : "s"}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  const targets = rows
    .filter((r) => r.kind === cat.kind && r.id !== cat.id)
    .map((r) => ({ value: String(r.id), label: r.name }));
  return page(
    c,
    "Remove category",
    <div class="row justify-content-center">
      <div class="col-md-7 col-lg-5">
        <Card title={`Remove “${cat.name}”?`}>
          <form method="post" action={`/categories/${cat.id}/remove`} novalidate>
            <CsrfField c={c} />
            <FormAlert errors={errors} />
            {held === 0 ? (
              <p>It holds no transactions.</p>
            ) : targets.length === 0 ? (
              <p>
                It holds {what} and is your only {cat.kind} category: add another one first, to move
                them to.
              </p>
            ) : (
              <Select
                name="moveTo"
                label={`Move its ${what} to`}
                options={targets}
                values={{}}
                errors={errors}
              />
            )}
            <button
              class="btn btn-danger"
              type="submit"
              disabled={held > 0 && targets.length === 0}
            >
              Remove
            </button>{" "}
            <a class="btn btn-link" href="/categories">
              Keep it
            </a>
          </form>
        </Card>
      </div>
    </div>,
    status,
  );
}

const refusal = (err: CategoryRefusedError): FieldErrors => ({ [err.field]: err.message });

export function categoryRoutes() {
  const app = new Hono<AppEnv>();
  /** The category named by the path, if it is the user's; else 404. */
  const own = async (c: Context<AppEnv>) => {
    const id = pathId(c);
    return id ? getCategory(c.get("deps").db, currentUser(c).id, id) : undefined;
  };

  app.get("/categories", (c) =>
    categoriesPage(c, { kind: "expense", color: "0", _key: newKey() }, {}),
  );

  app.post(
    "/categories",
    validForm(categoryForm, (c, v, e) => categoriesPage(c, v, e, 422)),
    async (c) => {
      const input = c.req.valid("form");
      try {
        return await submitOnce(c, async (tx) => {
          await createCategory(tx, currentUser(c).id, input);
          return { location: "/categories", flash: `Added “${input.name}”.` };
        });
      } catch (err) {
        if (!(err instanceof CategoryRefusedError)) throw err;
        const { _key } = await c.req.parseBody();
        const values = { ...input, color: String(input.color), _key: String(_key ?? newKey()) };
        return categoriesPage(c, values, refusal(err), 422);
      }
    },
  );

  app.get("/categories/:id/edit", async (c) => {
    const cat = await own(c);
    if (!cat) return c.notFound();
    return editPage(c, cat, { name: cat.name, color: String(cat.color) }, {});
  });

  app.post("/categories/:id", async (c) => {
    const cat = await own(c);
    if (!cat) return c.notFound();
    const typed = await c.req.parseBody();
    const parsed = categoryEditForm.safeParse(typed);
    const values = { name: String(typed.name ?? ""), color: String(typed.color ?? "") };
    if (!parsed.success) return editPage(c, cat, values, fieldErrors(parsed.error), 422);
    try {
      await updateCategory(c.get("deps").db, currentUser(c).id, cat.id, parsed.data);
    } catch (err) {
      if (!(err instanceof CategoryRefusedError)) throw err;
      return editPage(c, cat, values, refusal(err), 422);
    }
    await flash(c, `Saved “${parsed.data.name}”.`);
    return c.redirect("/categories", 303);
  });

  app.get("/categories/:id/remove", async (c) => {
    const cat = await own(c);
    return cat ? removePage(c, cat, {}) : c.notFound();
  });

  app.post("/categories/:id/remove", async (c) => {
    const cat = await own(c);
    if (!cat) return c.notFound();
    const parsed = categoryRemoveForm.safeParse(await c.req.parseBody());
    if (!parsed.success) {
      return removePage(c, cat, { moveTo: parsed.error.issues[0]?.message }, 422);
    }
    try {
      const moved = await removeCategory(
        c.get("deps").db,
        currentUser(c).id,
        cat.id,
        parsed.data.moveTo,
      );
      if (moved === undefined) return c.notFound();
      await flash(
        c,
        moved > 0
          ? `Removed “${cat.name}”; its ${moved} transaction${moved === 1 ? "" : "s"} moved.`
          : `Removed “${cat.name}”.`,
      );
      return c.redirect("/categories", 303);
    } catch (err) {
      if (!(err instanceof CategoryRefusedError)) throw err;
      return removePage(c, cat, refusal(err), 422);
    }
  });

  return app;
}
