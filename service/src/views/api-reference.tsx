// The API reference, drawn from the OpenAPI document on the server: no script, no inline style,
// nothing from another site (which Swagger UI and Redoc would need).
import type { Child } from "hono/jsx";

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is plain JSON
type Json = any;

const METHOD_COLOURS: Record<string, string> = {
  get: "text-bg-primary",
  post: "text-bg-success",
  put: "text-bg-warning",
  patch: "text-bg-warning",
  delete: "text-bg-danger",
};

const refName = (ref: string) => ref.replace("#/components/schemas/", "");
const anchor = (name: string) => `schema-${name}`;

/** A schema's type in a few words, with a link for a named one. */
function TypeOf({ schema }: { schema: Json }): Child {
  if (!schema) return "any";
  if (schema.$ref) return <a href={`#${anchor(refName(schema.$ref))}`}>{refName(schema.$ref)}</a>;
  if (schema.type === "array") {
    return (
      <>
        array of <TypeOf schema={schema.items} />
      </>
    );
  }
  const types = [schema.type].flat().filter(Boolean).join(" or ");
  const enumText = schema.enum
    ? `: ${schema.enum.map((v: unknown) => JSON.stringify(v)).join(", ")}`
    : "";
  const format = schema.format ? ` (${schema.format})` : "";
  return `${types || "object"}${format}${enumText}`;
}

/** What else limits a value: pattern, range, length, example. */
function rules(schema: Json): string {
  const out: string[] = [];
  if (schema.pattern) out.push(`pattern ${schema.pattern}`);
  if (schema.minimum !== undefined) out.push(`from ${schema.minimum}`);
  if (schema.maximum !== undefined) out.push(`to ${schema.maximum}`);
  if (schema.maxLength !== undefined) out.push(`at most ${schema.maxLength} characters`);
  if (schema.example !== undefined) out.push(`example ${JSON.stringify(schema.example)}`);
  return out.join("; ");
}

function Properties({ schema }: { schema: Json }) {
  const props = Object.entries<Json>(schema.properties ?? {});
  if (props.length === 0) return null;
  const required = new Set<string>(schema.required ?? []);
  return (
    <table class="table table-sm et-stack">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Notes</th>
        </tr>
      </thead>
      <tbody>
        {props.map(([name, p]) => (
          <tr>
            <td>
              <code>{name}</code>
              {required.has(name) ? "" : " (optional)"}
            </td>
            <td data-label="Type">
              <TypeOf schema={p} />
            </td>
            <td data-label="Notes">
              {[p.description, rules(p)].filter(Boolean).join(". ")}
              {p.properties && <Properties schema={p} />}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Operation({ method, path, op }: { method: string; path: string; op: Json }) {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const params: Json[] = op.parameters ?? [];
  return (
    <section class="mb-4" id={`${method}-${path}`}>
      <h3 class="h6">
        <span class={`badge ${METHOD_COLOURS[method] ?? "text-bg-secondary"} me-2`}>
          {method.toUpperCase()}
        </span>
        <code>{path}</code> {op.summary}
      </h3>
      {op.description && <p>{op.description}</p>}
      {params.length > 0 && (
        <ul>
          {params.map((p) => (
            <li>
              <code>{p.name}</code> ({p.in}
              {p.required ? ", required" : ""}): <TypeOf schema={p.schema} />
              {p.description || p.schema?.description
                ? `. ${p.description ?? p.schema.description}`
                : ""}
            </li>
          ))}
        </ul>
      )}
      {body && (
        <p>
          Body (application/json): <TypeOf schema={body} />
        </p>
      )}
      <ul class="small">
        {Object.entries<Json>(op.responses ?? {}).map(([status, r]) => {
          const schema = r.content?.["application/json"]?.schema;
          return (
            <li>
              <strong>{status}</strong> {r.description}
              {schema && (
                <>
                  {" "}
                  (<TypeOf schema={schema} />)
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ApiReference({ doc }: { doc: Json }) {
  const operations = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.entries<Json>(item).map(([method, op]) => ({ path, method, op })),
  );
  const tags = [...new Set(operations.map((o) => o.op.tags?.[0] ?? "Other"))];
  return (
    <>
      <h1 class="h3">{doc.info.title}</h1>
      <p>{doc.info.description}</p>
      <p>
        Every operation needs <code>Authorization: Bearer et_pat_…</code>, a token from{" "}
        <a href="/settings/tokens">Settings › API tokens</a>. The machine-readable document is{" "}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI {doc.openapi}).
      </p>
      {tags.map((tag) => (
        <>
          <h2 class="h4 mt-4">{tag}</h2>
          {operations
            .filter((o) => (o.op.tags?.[0] ?? "Other") === tag)
            .map((o) => (
              <Operation method={o.method} path={o.path} op={o.op} />
            ))}
        </>
      ))}
      <h2 class="h4 mt-4">Schemas</h2>
      {Object.entries<Json>(doc.components?.schemas ?? {}).map(([name, schema]) => (
        <section id={anchor(name)}>
          <h3 class="h6">
            <code>{name}</code>
          </h3>
          {schema.description && <p>{schema.description}</p>}
          <Properties schema={schema} />
        </section>
      ))}
    </>
  );
}
