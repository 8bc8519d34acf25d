// /api/v1/categories: the user's categories, as on the categories page.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  CategoryRefusedError,
  createCategory,
  getCategory,
  listCategories,
  removeCategory,
  updateCategory,
} from "../../data/categories.ts";
import type { Category } from "../../db/schema.ts";
import type { AppEnv } from "../../env.ts";
import { parseId } from "../../lib/ids.ts";
import { apiUser, createOnce, errors, json, WRITE_ERRORS } from "./common.ts";
import { ApiError } from "./errors.ts";
import type { ApiApp } from "./index.ts";
import {
  CategoryCreateSchema,
  CategoryDeleteQuerySchema,
  CategoryListSchema,
  CategorySchema,
  CategoryUpdateSchema,
  IdempotencyHeaderSchema,
  IdParamSchema,
} from "./schemas.ts";

const PATH = "/api/v1/categories";
const ITEM = "/api/v1/categories/{id}";
const tags = ["Categories"];
const security = [{ bearerAuth: [] }];

const categoryJson = (cat: Category) => ({
  id: cat.id,
  name: cat.name,
  kind: cat.kind,
  color: cat.color,
});

const NOT_FOUND = "There is no such category of yours.";

const itemId = (c: Context<AppEnv>) => {
  const id = parseId(c.req.param("id") ?? "");
  if (id === undefined) throw new ApiError(404, NOT_FOUND);
  return id;
};

/** A refused change is a conflict with what is stored (a name taken, a category in use). */
async function refusedAsConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof CategoryRefusedError)) throw err;
    const fields: Record<string, string> = err.field === "name" ? { name: err.message } : {};
    throw new ApiError(409, err.message, fields);
  }
}

export function categoryApi(api: ApiApp) {
  api.openapi(
    createRoute({
      method: "get",
      path: PATH,
      tags,
      security,
      summary: "List categories",
      description: "Expense categories first, then income; each by name.",
      responses: { 200: json(CategoryListSchema, "The categories"), ...errors() },
    }),
    async (c) => {
      const all = await listCategories(c.get("deps").db, apiUser(c).id);
      return c.json({ data: all.map(categoryJson) }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: ITEM,
      tags,
      security,
      summary: "Get a category",
      request: { params: IdParamSchema },
      responses: { 200: json(CategorySchema, "The category"), ...errors(404) },
    }),
    async (c) => {
      const cat = await getCategory(c.get("deps").db, apiUser(c).id, itemId(c));
      if (!cat) throw new ApiError(404, NOT_FOUND);
      return c.json(categoryJson(cat), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: PATH,
      tags,
      security,
      summary: "Add a category",
      request: {
        headers: IdempotencyHeaderSchema,
        body: { required: true, content: { "application/json": { schema: CategoryCreateSchema } } },
      },
      responses: {
        201: json(CategorySchema, "Added; Location names it"),
        ...errors(409, ...WRITE_ERRORS),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const input = { name: body.name, kind: body.kind, color: body.color ?? 0 };
      const key = c.req.valid("header")["Idempotency-Key"];
      // The stored answer is replayed as it was written, hence a plain Response.
      return refusedAsConflict(() =>
        createOnce(c, key, input, async (tx) => {
          const cat = await createCategory(tx, apiUser(c).id, input);
          return { location: `${PATH}/${cat.id}`, body: categoryJson(cat) };
        }),
      ) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: ITEM,
      tags,
      security,
      summary: "Rename or recolour a category",
      request: {
        params: IdParamSchema,
        body: { required: true, content: { "application/json": { schema: CategoryUpdateSchema } } },
      },
      responses: {
        200: json(CategorySchema, "The category as saved"),
        ...errors(404, 409, ...WRITE_ERRORS),
      },
    }),
    async (c) => {
      const { db } = c.get("deps");
      const user = apiUser(c);
      const cat = await getCategory(db, user.id, itemId(c));
      if (!cat) throw new ApiError(404, NOT_FOUND);
      const body = c.req.valid("json");
      const input = { name: body.name ?? cat.name, color: body.color ?? cat.color };
      await refusedAsConflict(() => updateCategory(db, user.id, cat.id, input));
      return c.json(categoryJson({ ...cat, ...input }), 200);
    },
  );

  api.openapi(
    createRoute({
      method: "delete",
      path: ITEM,
      tags,
      security,
      summary: "Remove a category",
      description:
        "A category that holds transactions needs `move_to`: another category of the same kind, which receives its transactions and adds its budgets to its own.",
      request: { params: IdParamSchema, query: CategoryDeleteQuerySchema },
      responses: { 204: { description: "Removed" }, ...errors(403, 404, 409) },
    }),
    async (c) => {
      const { move_to } = c.req.valid("query");
      const moved = await refusedAsConflict(() =>
        removeCategory(
          c.get("deps").db,
          apiUser(c).id,
          itemId(c),
          move_to ? Number(move_to) : undefined,
        ),
      );
      if (moved === undefined) throw new ApiError(404, NOT_FOUND);
      return c.body(null, 204);
    },
  );
}
