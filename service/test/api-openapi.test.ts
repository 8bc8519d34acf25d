import { validate } from "@readme/openapi-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../src/data/users.ts";
import type { Db } from "../src/db/client.ts";
import { silentLogger } from "../src/lib/logger.ts";
import { ApiClient, fetchDocument, OpenApiChecker, tokenFor } from "./support/api.ts";
import { describeEachDatabase, TEST_PASSWORD, testApp, uniqueEmail } from "./support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON
type Json = any;

/** A database whose every use fails as an unreachable server does. */
const unreachable = new Proxy(
  {},
  {
    get: () => () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
        code: "ECONNREFUSED",
      });
    },
  },
) as Db;

describeEachDatabase("API document and errors", (t) => {
  let app: ReturnType<typeof testApp>;
  let document: Json;
  let checker: OpenApiChecker;
  let api: ApiClient;

  beforeAll(async () => {
    app = testApp(t.current());
    document = await fetchDocument(app);
    checker = new OpenApiChecker(document);
    const user = await createUser(t.current().db, {
      email: uniqueEmail(),
      password: TEST_PASSWORD,
    });
    api = new ApiClient(app, checker, await tokenFor(t.current().db, user.id));
  });

  it("openapi.json is a valid OpenAPI 3.1 document, served without a token", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(document));
    expect(result.valid, JSON.stringify(result)).toBe(true);
  });

  it("the validator does fail a broken document", async () => {
    const broken = structuredClone(document);
    broken.paths["/api/v1/transactions"].get.responses = "none";
    expect((await validate(broken)).valid).toBe(false);
  });

  it("lists every operation, each behind the bearer scheme with its errors documented", () => {
    const ops = Object.entries<Json>(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(ops.sort()).toEqual(
      [
        "GET /api/v1/transactions",
        "POST /api/v1/transactions",
        "GET /api/v1/transactions/{id}",
        "PATCH /api/v1/transactions/{id}",
        "DELETE /api/v1/transactions/{id}",
        "GET /api/v1/categories",
        "POST /api/v1/categories",
        "GET /api/v1/categories/{id}",
        "PATCH /api/v1/categories/{id}",
        "DELETE /api/v1/categories/{id}",
        "GET /api/v1/budgets",
        "PUT /api/v1/budgets",
      ].sort(),
    );
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ scheme: "bearer" });
    for (const item of Object.values<Json>(document.paths)) {
      for (const op of Object.values<Json>(item)) {
        expect(op.security).toEqual([{ bearerAuth: [] }]);
        for (const s of ["401", "429", "503"]) expect(op.responses[s]).toBeDefined();
      }
    }
  });

  it("the response check fails a body that strays from the document", () => {
    const answer = (status: number, body: unknown, type = "application/json") => ({
      status,
      headers: new Headers({ "content-type": type }),
      body,
    });
    const good = {
      id: 1,
      kind: "expense",
      title: "Tea",
      amount: "2.00",
      category_id: 1,
      category_name: "Food",
      occurred_on: "2026-01-01",
      notes: null,
      payment_method: null,
    };
    expect(() => checker.check("GET", "/api/v1/transactions/1", answer(200, good))).not.toThrow();
    const bad: [string, ReturnType<typeof answer>][] = [
      ["a float amount", answer(200, { ...good, amount: 2 })],
      ["an amount with one decimal", answer(200, { ...good, amount: "2.0" })],
      ["an extra field", answer(200, { ...good, secret: "x" })],
      ["a missing field", answer(200, { ...good, notes: undefined })],
      ["an undocumented status", answer(418, good)],
      ["an HTML error", answer(404, "<h1>Not found</h1>", "text/html")],
      ["an error of another shape", answer(404, { message: "Not found" })],
    ];
    for (const [what, a] of bad) {
      expect(() => checker.check("GET", "/api/v1/transactions/1", a), what).toThrow();
    }
  });

  it("the reference page is drawn from the document, with no inline script or style", async () => {
    const res = await app.request("/docs/api");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const path of Object.keys(document.paths)) expect(html).toContain(path);
    expect(html).toContain('id="schema-Transaction"');
    expect(html).not.toMatch(/style=|<style|<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
  });

  it("an unknown API path or method is a JSON 404", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/nothing"],
      ["GET", "/api"],
      ["GET", "/api/v2/transactions"],
    ] as const) {
      const res = await api.request(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    const wrong = await api.request("PUT", "/api/v1/transactions/7", { json: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });

  it("a body over 1 MB is a JSON 413", async () => {
    const res = await api.request("POST", "/api/v1/transactions", {
      body: JSON.stringify({ title: "x".repeat(1024 * 1024 + 10) }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("a body that is not JSON, or not declared as JSON, says what is accepted", async () => {
    const form = await api.request("POST", "/api/v1/transactions", {
      body: "title=Coffee",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    expect(form.body.error.message).toContain("Content-Type: application/json");
    const broken = await api.request("POST", "/api/v1/transactions", {
      body: '{"title": "Coffee",',
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toContain("not valid JSON");
    const latin1 = await api.request("POST", "/api/v1/transactions", {
      body: new Uint8Array(Buffer.from('{"title":"Caf\xe9"}', "latin1")),
      headers: { "content-type": "application/json" },
    });
    expect(latin1.status).toBe(400);
    expect(latin1.body.error.message).toContain("UTF-8");
  });

  it("while the app starts, the API answers 503 JSON with Retry-After", async () => {
    const starting = testApp(t.current(), {
      lifecycle: { ready: false, reason: "connecting", stopping: false },
    });
    const res = await new ApiClient(starting, checker, api.token).get("/api/v1/transactions");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
  });

  it("a host outside PUBLIC_URL gets the API's JSON error, not text", async () => {
    const strict = testApp(t.current(), { publicOrigins: ["https://money.example.test"] });
    const res = await new ApiClient(strict, checker, api.token).get("/api/v1/transactions");
    expect(res.status).toBe(421);
    expect(res.body.error.message).toContain("money.example.test");
  });
});

describe("API with a broken or unreachable database", () => {
  it("a bug is a 500 JSON with a reference, logged, with no stack in the answer", async () => {
    const broken = new Proxy(
      {},
      {
        get: () => () => {
          throw new Error("column does not exist");
        },
      },
    ) as Db;
    const errors: unknown[] = [];
    const logger = { ...silentLogger, error: (_m: string, f?: unknown) => errors.push(f) };
    const app = testApp({ db: broken } as never, { logger });
    const checker = new OpenApiChecker(await fetchDocument(app));
    const client = new ApiClient(app, checker, `et_pat_${"a".repeat(16)}_${"b".repeat(43)}`);
    const res = await client.get("/api/v1/transactions");
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe("internal_error");
    expect(res.body.error.message).toContain(res.headers.get("x-request-id"));
    expect(JSON.stringify(res.body)).not.toContain("column does not exist");
    expect(errors).toHaveLength(1);
  });

  it("answers 503 JSON with Retry-After, never a page", async () => {
    const app = testApp({ db: unreachable, close: async () => {}, kind: "embedded" } as never);
    const checker = new OpenApiChecker(await fetchDocument(app));
    const client = new ApiClient(app, checker, `et_pat_${"a".repeat(16)}_${"b".repeat(43)}`);
    const res = await client.get("/api/v1/transactions");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.body.error.code).toBe("unavailable");
  });
});
