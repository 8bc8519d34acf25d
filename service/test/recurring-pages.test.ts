// The recurring pages: adding (with the question a past start date asks), editing, pausing,
// resuming and deleting a rule, the dashboard's "Due in the next 30 days", and refusals.
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { getRecurringRule } from "../src/data/recurring.ts";
import { recurringRules, transactions } from "../src/db/schema.ts";
import { runRecurringPass } from "../src/jobs/recurring-worker.ts";
import { type Agent, describeEachDatabase, signedInAgent, testApp } from "./support/harness.ts";

// 2026-03-10 12:00 UTC: a Tuesday.
const NOW = new Date("2026-03-10T12:00:00Z");

async function categoryId(agent: Agent, name = "Housing", kind = "expense"): Promise<string> {
  const html = await (await agent.get(`/recurring/new?kind=${kind}`)).text();
  const m = new RegExp(`<option value="(\\d+)"[^>]*>${name}</option>`).exec(html);
  if (!m?.[1]) throw new Error(`no ${name} category on the form`);
  return m[1];
}

/** The form's idempotency key, as the add page made it. */
async function formKey(agent: Agent): Promise<string> {
  const html = await (await agent.get("/recurring/new")).text();
  return /name="_key" value="([^"]+)"/.exec(html)?.[1] ?? "";
}

const rent = (cat: string, extra: Record<string, string> = {}) => ({
  kind: "expense",
  title: "Rent",
  amount: "950.00",
  categoryId: cat,
  paymentMethod: "Transfer",
  notes: "",
  every: "1",
  frequency: "monthly",
  weekday: "2",
  monthDay: "1",
  startsOn: "2026-04-01",
  ends: "never",
  endsOn: "",
  occurrences: "",
  ...extra,
});

describeEachDatabase("recurring pages", (t) => {
  let app: ReturnType<typeof testApp>;
  let woken = 0;
  beforeAll(() => {
    app = testApp(t.current(), { now: () => NOW, wakeRecurring: () => woken++ });
  });

  const rulesOf = (userId: number) =>
    t.current().db.select().from(recurringRules).where(eq(recurringRules.userId, userId));
  const transactionsOf = (userId: number) =>
    t.current().db.select().from(transactions).where(eq(transactions.userId, userId));

  it("the navbar links to the page, which starts empty", async () => {
    const { agent } = await signedInAgent(app, t.current());
    const html = await (await agent.get("/recurring")).text();
    expect(html).toContain('href="/recurring"');
    expect(html).toContain("No recurring rules yet.");
  });

  it("adds a rule that starts in the future, without creating anything in the request", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const before = woken;
    const res = await agent.post("/recurring", { ...rent(cat), _key: await formKey(agent) });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/recurring");
    expect(woken).toBe(before + 1);
    const html = await (await agent.get("/recurring")).text();
    expect(html).toContain("Added “Rent”: the first occurrence is on 2026-04-01.");
    expect(html).toContain("Monthly on the 1st");
    expect(html).toContain("-$950.00");
    const [rule] = await rulesOf(user.id);
    expect(rule).toMatchObject({
      frequency: "monthly",
      monthDay: 1,
      weekday: null,
      amountCents: 95_000n,
      paymentMethod: "Transfer",
      nextOccurrenceOn: "2026-04-01",
    });
    expect(await transactionsOf(user.id)).toHaveLength(0);
  });

  it("a start date in the past asks first, and creating the past ones is saved once", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const form = { ...rent(cat, { startsOn: "2026-01-01" }), _key: await formKey(agent) };
    const asked = await agent.post("/recurring", form);
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Create the past occurrences?");
    expect(question).toContain(
      "3 occurrences fell due before today, from 2026-01-01 to 2026-03-01",
    );
    expect(question).toContain('name="past" value="create"');
    expect(await rulesOf(user.id)).toHaveLength(0);
    // Both clicks of a double click carry the same key: one rule.
    const first = await agent.post("/recurring", { ...form, past: "create" });
    const second = await agent.post("/recurring", { ...form, past: "create" });
    expect([first.status, second.status]).toEqual([303, 303]);
    const rules = await rulesOf(user.id);
    expect(rules).toHaveLength(1);
    expect(rules[0]?.nextOccurrenceOn).toBe("2026-01-01");
    expect(await transactionsOf(user.id)).toHaveLength(0);
    await runRecurringPass(t.current().db, { now: () => NOW });
    const made = (await transactionsOf(user.id)).map((r) => r.occurredOn).sort();
    expect(made).toEqual(["2026-01-01", "2026-02-01", "2026-03-01"]);
  });

  it("skipping the past occurrences starts from today; changing the rule shows the form again", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const weekly = rent(cat, { frequency: "weekly", weekday: "2", startsOn: "2026-02-01" });
    const back = await agent.post("/recurring", { ...weekly, past: "back" });
    expect(back.status).toBe(200);
    const form = await back.text();
    expect(form).toContain("Add recurring rule");
    expect(form).toContain('value="2026-02-01"');
    const res = await agent.post("/recurring", { ...weekly, past: "skip" });
    expect(res.status).toBe(303);
    const [rule] = await rulesOf(user.id);
    // Tuesday 10 March is today: today's occurrence is due, the earlier ones are not.
    expect(rule).toMatchObject({ weekday: 2, monthDay: null, nextOccurrenceOn: "2026-03-10" });
  });

  it.each([
    [{ every: "0" }, "every", "whole number from 1 to 99"],
    [{ every: "1.5" }, "every", "whole number"],
    [{ frequency: "daily" }, "frequency", "weekly, monthly or yearly"],
    [{ frequency: "weekly", weekday: "8" }, "weekday", "day of the week"],
    [{ monthDay: "32" }, "monthDay", "day of the month"],
    [{ monthDay: "" }, "monthDay", "day of the month"],
    [{ startsOn: "2026-02-30" }, "startsOn", "YYYY-MM-DD"],
    [{ ends: "on", endsOn: "2026-03-01" }, "endsOn", "on or after the start date"],
    [{ ends: "on", endsOn: "" }, "endsOn", "Enter the date it ends on"],
    [{ ends: "after", occurrences: "" }, "occurrences", "number of occurrences from 1 to 1000"],
    [{ ends: "after", occurrences: "1001" }, "occurrences", "from 1 to 1000"],
    [
      { frequency: "yearly", every: "99", ends: "after", occurrences: "3" },
      "occurrences",
      "past 2100",
    ],
    [{ amount: "0" }, "amount", "above 0"],
    [{ title: "  " }, "title", "Enter a title"],
  ])("refuses %o with 422 and a message under %s", async (change, field, message) => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    const res = await agent.post("/recurring", rent(cat, change));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`id="f-${field}-error"`);
    expect(html).toContain(message);
    expect(await rulesOf(user.id)).toHaveLength(0);
  });

  it("refuses a category of the other kind, naming those it may use", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const salary = await categoryId(agent, "Salary", "income");
    const res = await agent.post("/recurring", rent(salary));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain("Choose one of your expense categories");
    expect(await rulesOf(user.id)).toHaveLength(0);
  });

  it("edits a rule: what was created stays, what is to come changes", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/recurring", { ...rent(cat, { startsOn: "2026-02-01" }), past: "create" });
    await runRecurringPass(t.current().db, { now: () => NOW });
    const [rule] = await rulesOf(user.id);
    const edit = await (await agent.get(`/recurring/${rule?.id}/edit`)).text();
    expect(edit).toContain('value="950.00"');
    expect(edit).toContain("Changes apply to the occurrences still to come");
    const res = await agent.post(
      `/recurring/${rule?.id}`,
      rent(cat, { startsOn: "2026-02-01", amount: "1000", monthDay: "last" }),
    );
    expect(res.status).toBe(303);
    const list = await (await agent.get("/recurring")).text();
    expect(list).toContain("Saved “Rent”: next on 2026-03-31.");
    expect(list).toContain("Monthly on the last day");
    const made = await transactionsOf(user.id);
    expect(made.map((r) => [r.occurredOn, r.amountCents]).sort()).toEqual([
      ["2026-02-01", 95_000n],
      ["2026-03-01", 95_000n],
    ]);
  });

  it("pauses and resumes from the list, and the dashboard shows what is due", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/recurring", rent(cat, { startsOn: "2026-03-15", monthDay: "15" }));
    const [rule] = await rulesOf(user.id);
    const dashboard = await (await agent.get("/")).text();
    expect(dashboard).toContain("Due in the next 30 days");
    expect(dashboard).toMatch(/data-due="2026-03-15"[\s\S]*Rent/);
    await agent.get("/recurring");
    expect((await agent.post(`/recurring/${rule?.id}/pause`, {})).status).toBe(303);
    const paused = await (await agent.get("/recurring")).text();
    expect(paused).toContain("Paused “Rent”");
    expect(paused).toContain(">Paused<");
    expect(paused).toContain(`action="/recurring/${rule?.id}/resume"`);
    expect(await (await agent.get("/")).text()).toContain("Nothing is due.");
    expect((await agent.post(`/recurring/${rule?.id}/resume`, {})).status).toBe(303);
    expect(await (await agent.get("/recurring")).text()).toContain(
      "Resumed “Rent”: next on 2026-03-15.",
    );
    expect(
      (await getRecurringRule(t.current().db, user.id, rule?.id as number))?.pausedAt,
    ).toBeNull();
  });

  it("deletes a rule after its confirmation page; its transactions stay", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/recurring", { ...rent(cat, { startsOn: "2026-02-01" }), past: "create" });
    await runRecurringPass(t.current().db, { now: () => NOW });
    const [rule] = await rulesOf(user.id);
    const confirm = await (await agent.get(`/recurring/${rule?.id}/delete`)).text();
    expect(confirm).toContain("Delete this recurring rule?");
    expect(confirm).toContain("The 2 transactions it added stay.");
    const res = await agent.post(`/recurring/${rule?.id}/delete`, {});
    expect(res.status).toBe(303);
    expect(await (await agent.get("/recurring")).text()).toContain(
      "Deleted the recurring rule “Rent”.",
    );
    expect(await rulesOf(user.id)).toHaveLength(0);
    expect(await transactionsOf(user.id)).toHaveLength(2);
  });

  it("another user's rule is 404 everywhere and stays unchanged", async () => {
    const owner = await signedInAgent(app, t.current());
    const cat = await categoryId(owner.agent);
    await owner.agent.post("/recurring", rent(cat));
    const [rule] = await rulesOf(owner.user.id);
    const { agent } = await signedInAgent(app, t.current());
    const mine = await categoryId(agent);
    for (const path of ["edit", "delete"]) {
      expect((await agent.get(`/recurring/${rule?.id}/${path}`)).status).toBe(404);
    }
    await agent.get("/recurring");
    for (const path of ["pause", "resume", "delete"]) {
      expect((await agent.post(`/recurring/${rule?.id}/${path}`, {})).status).toBe(404);
    }
    expect((await agent.post(`/recurring/${rule?.id}`, rent(mine))).status).toBe(404);
    expect(await rulesOf(owner.user.id)).toEqual([rule]);
  });

  it("refuses a pause without the CSRF token with 403", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/recurring", rent(cat));
    const [rule] = await rulesOf(user.id);
    const res = await agent.post(`/recurring/${rule?.id}/pause`, { _csrf: "" });
    expect(res.status).toBe(403);
    expect((await rulesOf(user.id))[0]?.pausedAt).toBeNull();
  });

  it("removing a category with rules asks where they move", async () => {
    const { agent, user } = await signedInAgent(app, t.current());
    const cat = await categoryId(agent);
    await agent.post("/recurring", rent(cat));
    const page = await (await agent.get(`/categories/${cat}/remove`)).text();
    expect(page).toContain("Move its 1 recurring rule to");
    const refused = await agent.post(`/categories/${cat}/remove`, {});
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("has 1 recurring rule");
    const food = await categoryId(agent, "Food");
    expect((await agent.post(`/categories/${cat}/remove`, { moveTo: food })).status).toBe(303);
    expect((await rulesOf(user.id))[0]?.categoryId).toBe(Number(food));
  });
});
