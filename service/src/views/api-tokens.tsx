import type { Context } from "hono";
import type { ApiToken } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { Field, type FieldErrors, FormAlert, type FormValues, Select } from "./form.tsx";
import { EmptyState, Icon } from "./icon.tsx";
import { CsrfField } from "./layout.tsx";

const SCOPES = [
  { value: "read", label: "Read-only: list and get" },
  { value: "read-write", label: "Read-write: also add, change and delete" },
];
const EXPIRIES = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

/** "2026-03-01 14:05" in the user's time zone. */
export function localTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(at);
}

/** The new token, shown once. */
export function NewToken({ token, name }: { token: string; name: string }) {
  return (
    <div class="alert alert-success" role="status">
      <p class="mb-2">
        Your new token “{name}”. Copy it now: it is not shown again, and only its hash is stored.
      </p>
      <label class="form-label visually-hidden" for="new-token">
        New token
      </label>
      <input id="new-token" class="form-control font-monospace" readonly value={token} />
    </div>
  );
}

export function TokenTable(p: {
  c: Context<AppEnv>;
  tokens: ApiToken[];
  timeZone: string;
  now: Date;
}) {
  if (p.tokens.length === 0)
    return (
      <EmptyState icon="key">
        <p class="mb-0">
          You have no API tokens. Create one below for a script or a phone shortcut.
        </p>
      </EmptyState>
    );
  const when = (d: Date | null, none: string) => (d ? localTime(d, p.timeZone) : none);
  return (
    <div class="table-responsive">
      <table class="table align-middle">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Access</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="visually-hidden">Revoke</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.tokens.map((t) => (
            <tr>
              <td>
                {t.name} <code class="small">et_pat_{t.publicId}_…</code>
              </td>
              <td>{t.scope === "read" ? "read-only" : "read-write"}</td>
              <td>{localTime(t.createdAt, p.timeZone)}</td>
              <td>
                {t.expiresAt && t.expiresAt <= p.now ? (
                  <span class="text-danger">expired {localTime(t.expiresAt, p.timeZone)}</span>
                ) : (
                  when(t.expiresAt, "never")
                )}
              </td>
              <td>{when(t.lastUsedAt, "never")}</td>
              <td>
                <form method="post" action={`/settings/tokens/${t.id}/revoke`}>
                  <CsrfField c={p.c} />
                  <button class="btn btn-outline-danger btn-sm" type="submit">
                    <Icon name="trash" /> Revoke <span class="visually-hidden">{t.name}</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TokenForm(p: { c: Context<AppEnv>; values: FormValues; errors: FieldErrors }) {
  const values = { scope: "read", expires: "90", ...p.values };
  return (
    <form method="post" action="/settings/tokens" novalidate>
      <FormAlert errors={p.errors} />
      <CsrfField c={p.c} />
      <Field name="name" label="Name" values={values} errors={p.errors} maxlength={100} />
      <Select name="scope" label="Access" options={SCOPES} values={values} errors={p.errors} />
      <Select name="expires" label="Expires" options={EXPIRIES} values={values} errors={p.errors} />
      <Field
        name="password"
        label="Your password"
        type="password"
        autocomplete="current-password"
        values={{}}
        errors={p.errors}
      />
      <button class="btn btn-primary" type="submit">
        <Icon name="key" /> Create token
      </button>
    </form>
  );
}
