// A client for the JSON API over `app.request()` that checks every answer it receives against the
// app's own OpenAPI document: an undocumented status, or a body that does not match the
// operation's response schema, fails the test that received it.
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { createApp } from "../../src/app.tsx";
import { createApiToken } from "../../src/data/api-tokens.ts";
import type { Db } from "../../src/db/client.ts";
import type { ApiTokenScope } from "../../src/db/schema.ts";

type App = ReturnType<typeof createApp>;
// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is untyped JSON here
type Json = any;

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body; undefined for an empty one. */
  body: Json;
}

/** Checks answers against the document's operations and their response schemas. */
export class OpenApiChecker {
  private readonly ajv: Ajv2020;
  private readonly operations: { method: string; pattern: RegExp; operation: Json }[] = [];

  constructor(readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.ajv);
    // Response schemas refer to `#/components/schemas/...`: the document itself resolves them.
    this.ajv.addSchema({ $id: "openapi.json", components: document.components });
    for (const [path, item] of Object.entries<Json>(document.paths)) {
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      for (const [method, operation] of Object.entries(item)) {
        this.operations.push({ method: method.toUpperCase(), pattern, operation });
      }
    }
  }

  /** Throws unless `answer` is one the document declares for `method` on `path`. */
  check(method: string, path: string, answer: ApiAnswer): void {
    const pathname = new URL(path, "http://x").pathname;
    const found = this.operations.find((o) => o.method === method && o.pattern.test(pathname));
    if (!found) {
      // Paths the document does not list answer only with its Error schema.
      if (answer.status < 400) throw new Error(`${method} ${pathname} is not in the document`);
      this.validate("#/components/schemas/Error", answer, `${method} ${pathname}`);
      return;
    }
    const response = found.operation.responses[String(answer.status)];
    if (!response) {
      throw new Error(`${method} ${pathname} answered ${answer.status}, which is not documented`);
    }
    const media = response.content?.["application/json"];
    if (!media) {
      if (answer.body !== undefined)
        throw new Error(`${method} ${pathname} ${answer.status} has a body`);
      return;
    }
    const type = answer.headers.get("content-type") ?? "";
    if (!type.startsWith("application/json")) {
      throw new Error(`${method} ${pathname} ${answer.status} is ${type}, not application/json`);
    }
    this.validate(media.schema, answer, `${method} ${pathname} ${answer.status}`);
  }

  private validate(schema: Json, answer: ApiAnswer, what: string): void {
    const wrapped =
      typeof schema === "string" ? { $ref: `openapi.json${schema}` } : this.rebase(schema);
    const valid = this.ajv.validate(wrapped, answer.body);
    if (!valid) {
      throw new Error(
        `${what} does not match the document: ${this.ajv.errorsText(this.ajv.errors)}\n${JSON.stringify(answer.body).slice(0, 500)}`,
      );
    }
  }

  /** Points a schema's local `$ref`s at the document registered above. */
  private rebase(schema: Json): Json {
    return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', '"$ref":"openapi.json#/'));
  }
}

/** A bearer-token client; each answer is checked against the document before it is returned. */
export class ApiClient {
  constructor(
    readonly app: App,
    readonly checker: OpenApiChecker,
    public token: string | undefined,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    options: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...this.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    const res = await this.app.request(path, {
      method,
      headers: { ...headers, ...options.headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let parsed: Json;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      throw new Error(
        `${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      );
    }
    const answer = { status: res.status, headers: res.headers, body: parsed };
    this.checker.check(method, path, answer);
    return answer;
  }

  get = (path: string, headers?: Record<string, string>) => this.request("GET", path, { headers });
  post = (path: string, json: unknown, headers?: Record<string, string>) =>
    this.request("POST", path, { json, headers });
  patch = (path: string, json: unknown) => this.request("PATCH", path, { json });
  put = (path: string, json: unknown) => this.request("PUT", path, { json });
  delete = (path: string) => this.request("DELETE", path);
}

/** The app's OpenAPI document, fetched as a client would. */
export async function fetchDocument(app: App): Promise<Json> {
  const res = await app.request("/api/v1/openapi.json");
  if (res.status !== 200) throw new Error(`openapi.json answered ${res.status}`);
  return res.json();
}

/** A token for `userId`, as the settings page would make it. */
export async function tokenFor(
  db: Db,
  userId: number,
  scope: ApiTokenScope = "read-write",
  expiresAt: Date | null = null,
): Promise<string> {
  const { token } = await createApiToken(
    db,
    userId,
    { name: `test ${scope}`, scope, expiresAt },
    new Date(),
  );
  return token;
}
