import type { Context } from "hono";
import { Hono } from "hono";
import { countTransactions } from "../data/transactions.ts";
import { updateSettings } from "../data/users.ts";
import { DATE_FORMATS, NUMBER_FORMATS, type User } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { formatDate, timeZones } from "../lib/dates.ts";
import { flash } from "../middleware/session.ts";
import { settingsForm, validForm } from "../validation.ts";
import { BackupCard, type BackupCardProps } from "../views/backup.tsx";
import { Card, type FieldErrors, type FormValues, Select } from "../views/form.tsx";
import { CsrfField, page } from "../views/layout.tsx";

const SAMPLE_DATE = "2026-03-31";

/** The settings page; `refused` says why a restore was refused, shown with `status`. */
export async function settingsPage(
  c: Context<AppEnv>,
  values: FormValues,
  errors: FieldErrors,
  refused?: BackupCardProps["refused"],
  status = 200,
) {
  const toOptions = (list: string[]) => list.map((v) => ({ value: v, label: v }));
  const user = c.get("user") as User;
  const { db, instanceDump } = c.get("deps");
  const transactions = await countTransactions(db, user.id);
  return page(
    c,
    "Settings",
    <div class="row justify-content-center">
      <div class="col-md-7 col-lg-6">
        <Card title="Settings">
          <form method="post" action="/settings" novalidate>
            <CsrfField c={c} />
            <Select
              name="timeZone"
              label="Time zone"
              options={toOptions(timeZones())}
              values={values}
              errors={errors}
            />
            <p class="form-text mt-n2">"Today" and months follow this time zone.</p>
            <Select
              name="currency"
              label="Display currency"
              options={toOptions(Intl.supportedValuesOf("currency"))}
              values={values}
              errors={errors}
            />
            <Select
              name="monthStartDay"
              label="Months start on day"
              options={Array.from({ length: 28 }, (_, i) => ({
                value: String(i + 1),
                label: String(i + 1),
              }))}
              values={values}
              errors={errors}
            />
            <p class="form-text mt-n2">
              For a pay cycle: with 25, “November” runs from 25 October to 24 November.
            </p>
            <Select
              name="dateFormat"
              label="Dates"
              options={DATE_FORMATS.map((f) => ({
                value: f,
                label: `${f} (${formatDate(SAMPLE_DATE, f)})`,
              }))}
              values={values}
              errors={errors}
            />
            <Select
              name="numberFormat"
              label="Numbers"
              options={NUMBER_FORMATS.map((f) => ({ value: f, label: f }))}
              values={values}
              errors={errors}
            />
            <p class="form-text mt-n2">
              Amounts are shown and typed in this format (with a comma format, type 12,50). The date
              pickers follow your browser's language; the API and CSV export always use a dot and
              ISO dates.
            </p>
            <button class="btn btn-primary" type="submit">
              Save
            </button>
          </form>
          <hr />
          <a href="/account/password">Change password</a> ·{" "}
          <a href="/settings/tokens">API tokens</a>
        </Card>
        <BackupCard
          c={c}
          transactions={transactions}
          instanceDump={!!instanceDump && user.isOwner}
          refused={refused}
        />
      </div>
    </div>,
    status,
  );
}

export function settingsRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/settings", (c) => {
    const user = c.get("user") as User;
    return settingsPage(
      c,
      {
        timeZone: user.timeZone,
        currency: user.currency,
        monthStartDay: String(user.monthStartDay),
        dateFormat: user.dateFormat,
        numberFormat: user.numberFormat,
      },
      {},
    );
  });
  app.post("/settings", validForm(settingsForm, settingsPage), async (c) => {
    await updateSettings(c.get("deps").db, (c.get("user") as User).id, c.req.valid("form"));
    await flash(c, "Settings saved.");
    return c.redirect("/settings", 303);
  });
  return app;
}
