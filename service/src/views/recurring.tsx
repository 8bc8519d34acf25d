// The recurring rules page's table and the dashboard's "Due in the next 30 days" card.
import type { DueOccurrence, RecurringRuleRow } from "../data/recurring.ts";
import { scheduleOf } from "../data/recurring.ts";
import type { MoneyFormatters } from "../lib/money.ts";
import { describeSchedule } from "../lib/recurrence.ts";

const signed = (kind: string, cents: bigint, money: MoneyFormatters) =>
  money.signed(kind === "income" ? cents : -cents);

/** When a rule ends, in words; empty when it does not. */
function endOf(r: RecurringRuleRow): string {
  if (r.occurrenceLimit !== null) {
    return `${r.occurrenceLimit} occurrence${r.occurrenceLimit === 1 ? "" : "s"}, the last on ${r.endsOn}`;
  }
  return r.endsOn ? `until ${r.endsOn}` : "";
}

function NextCell({ r }: { r: RecurringRuleRow }) {
  if (r.pausedAt) return <span class="badge text-bg-secondary">Paused</span>;
  if (!r.nextOccurrenceOn) return <span class="badge text-bg-light border">Ended</span>;
  return <span class="text-nowrap">{r.nextOccurrenceOn}</span>;
}

export function RuleTable(p: { rules: RecurringRuleRow[]; money: MoneyFormatters; csrf: string }) {
  return (
    <div class="table-responsive">
      <table class="table table-hover align-middle bg-white shadow-sm">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Repeats</th>
            <th scope="col">Category</th>
            <th scope="col" class="text-end">
              Amount
            </th>
            <th scope="col">Next</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {p.rules.map((r) => (
            <tr data-rule={String(r.id)}>
              <td>
                {r.title}
                {r.notes && <div class="small text-body-secondary text-truncate">{r.notes}</div>}
              </td>
              <td>
                {describeSchedule(scheduleOf(r))}
                <div class="small text-body-secondary">
                  from {r.startsOn}
                  {endOf(r) ? `, ${endOf(r)}` : ""}
                </div>
              </td>
              <td>{r.categoryName}</td>
              <td class={`text-end text-nowrap ${r.kind === "income" ? "text-success" : ""}`}>
                {signed(r.kind, r.amountCents, p.money)}
              </td>
              <td>
                <NextCell r={r} />
              </td>
              <td class="text-end text-nowrap">
                <a class="btn btn-sm btn-outline-primary" href={`/recurring/${r.id}/edit`}>
                  Edit
                </a>{" "}
                {r.nextOccurrenceOn !== null || r.pausedAt ? (
                  <form
                    method="post"
                    action={`/recurring/${r.id}/${r.pausedAt ? "resume" : "pause"}`}
                    class="d-inline"
                  >
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    <button class="btn btn-sm btn-outline-secondary" type="submit">
                      {r.pausedAt ? "Resume" : "Pause"}
                    </button>
                  </form>
                ) : null}{" "}
                <a class="btn btn-sm btn-outline-danger" href={`/recurring/${r.id}/delete`}>
                  Delete
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function NoRules() {
  return (
    <div class="card card-body shadow-sm text-center">
      <p class="mb-2">No recurring rules yet.</p>
      <p class="text-body-secondary small">
        A rule adds a transaction on every date of its schedule: rent on the 1st, pay on the last
        day of the month, a subscription every year.
      </p>
      <p class="mb-0">
        <a class="btn btn-primary" href="/recurring/new">
          Add a recurring rule
        </a>
      </p>
    </div>
  );
}

/** Shown on the dashboard: each occurrence of the next 30 days, by date. */
export function DueSoon(p: { due: DueOccurrence[]; money: MoneyFormatters; today: string }) {
  const shown = p.due.slice(0, 10);
  return (
    <section class="card card-body shadow-sm" aria-labelledby="due-heading">
      <div class="d-flex justify-content-between align-items-baseline">
        <h2 class="h5" id="due-heading">
          Due in the next 30 days
        </h2>
        <a class="small" href="/recurring">
          Recurring rules
        </a>
      </div>
      {shown.length === 0 ? (
        <p class="text-body-secondary mb-0">
          Nothing is due. <a href="/recurring/new">Add a recurring rule</a> for rent, pay or
          subscriptions.
        </p>
      ) : (
        <ul class="list-group list-group-flush">
          {shown.map((d) => (
            <li class="list-group-item d-flex justify-content-between gap-2" data-due={d.date}>
              <span class="me-auto">
                <a href={`/recurring/${d.ruleId}/edit`}>{d.title}</a>{" "}
                <span class="text-body-secondary small">
                  {d.date <= p.today ? "today" : d.date} · {d.categoryName}
                </span>
              </span>
              <span class={`text-nowrap ${d.kind === "income" ? "text-success" : ""}`}>
                {signed(d.kind, d.amountCents, p.money)}
              </span>
            </li>
          ))}
          {p.due.length > shown.length && (
            <li class="list-group-item small text-body-secondary">
              and {p.due.length - shown.length} more
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
