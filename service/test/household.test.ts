import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listCategories } from "../src/data/categories.ts";
import { createTransaction } from "../src/data/transactions.ts";
import { createUser, ensureOwner, findUserByEmail } from "../src/data/users.ts";
import { sessions, transactions } from "../src/db/schema.ts";
import { verifyPassword } from "../src/lib/password.ts";
import {
  Agent,
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  testApp,
  uniqueEmail,
} from "./support/harness.ts";

describeEachDatabase("household and owner provisioning", (t) => {
  let app: ReturnType<typeof testApp>;
  beforeAll(() => {
    app = testApp(t.current());
  });

  describe("owner provisioning", () => {
    it("creates the owner when absent, with the default categories", async () => {
      const email = uniqueEmail("owner");
      expect(await ensureOwner(t.current().db, { email, password: TEST_PASSWORD })).toBe(true);
      const owner = await findUserByEmail(t.current().db, email);
      expect(owner?.isOwner).toBe(true);
      const cats = await listCategories(t.current().db, owner?.id ?? 0);
      expect(cats.map((c) => `${c.kind}:${c.name}`)).toEqual([
        "expense:Entertainment",
        "expense:Food",
        "expense:Health",
        "expense:Housing",
        "expense:Other",
        "expense:Transport",
        "expense:Utilities",
        "income:Other income",
        "income:Salary",
      ]);
    });

    it("never overwrites an existing owner's password", async () => {
      const email = uniqueEmail("owner");
      await ensureOwner(t.current().db, { email, password: TEST_PASSWORD });
      expect(
        await ensureOwner(t.current().db, {
          email: email.toUpperCase(),
          password: "another password",
        }),
      ).toBe(false);
      const owner = await findUserByEmail(t.current().db, email);
      expect(await verifyPassword(TEST_PASSWORD, owner?.passwordHash ?? "")).toBe(true);
    });

    it("two processes provisioning at once create one account", async () => {
      const email = uniqueEmail("owner");
      const results = await Promise.all([
        ensureOwner(t.current().db, { email, password: TEST_PASSWORD }),
        ensureOwner(t.current().db, { email, password: TEST_PASSWORD }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe("members", () => {
    it("the owner adds a member who can then sign in", async () => {
      const { agent } = await signedInAgent(app, t.current(), { isOwner: true });
      const email = uniqueEmail("member");
      const res = await agent.post("/users", { email, password: "member password" });
      expect(res.status).toBe(303);
      expect(await (await agent.get("/users")).text()).toContain(email);
      const member = new Agent(app);
      await member.get("/signin");
      expect((await member.post("/signin", { email, password: "member password" })).status).toBe(
        303,
      );
    });

    it("refuses a duplicate email (any case) and a short password with 422", async () => {
      const { agent, email } = await signedInAgent(app, t.current(), { isOwner: true });
      const dup = await agent.post("/users", {
        email: email.toUpperCase(),
        password: "member password",
      });
      expect(dup.status).toBe(422);
      expect(await dup.text()).toContain("There is already an account with this email");
      const short = await agent.post("/users", { email: uniqueEmail(), password: "short" });
      expect(short.status).toBe(422);
      expect(await short.text()).toContain("Use at least 8 characters");
    });

    it("a member who is not the owner gets 404 for the household pages", async () => {
      const { agent } = await signedInAgent(app, t.current());
      expect((await agent.get("/users")).status).toBe(404);
      const res = await agent.post("/users", { email: uniqueEmail(), password: "member password" });
      expect(res.status).toBe(404);
    });

    it("removing a member deletes their data and ends their sessions", async () => {
      const owner = await signedInAgent(app, t.current(), { isOwner: true });
      const member = await signedInAgent(app, t.current());
      const [food] = await listCategories(t.current().db, member.user.id);
      await createTransaction(t.current().db, member.user.id, {
        kind: "expense",
        title: "Lunch",
        amountCents: 950n,
        categoryId: food?.id ?? 0,
        occurredOn: "2025-05-05",
        notes: null,
        paymentMethod: null,
      });
      const confirm = await owner.agent.get(`/users/${member.user.id}/delete`);
      expect(await confirm.text()).toContain(`Remove ${member.email}?`);
      expect((await owner.agent.post(`/users/${member.user.id}/delete`, {})).status).toBe(303);
      const db = t.current().db;
      expect(
        await db.select().from(transactions).where(eq(transactions.userId, member.user.id)),
      ).toEqual([]);
      expect(await db.select().from(sessions).where(eq(sessions.userId, member.user.id))).toEqual(
        [],
      );
      expect((await member.agent.get("/")).status).toBe(303);
    });

    it("the owner cannot be removed", async () => {
      const owner = await signedInAgent(app, t.current(), { isOwner: true });
      expect((await owner.agent.post(`/users/${owner.user.id}/delete`, {})).status).toBe(404);
      expect(await findUserByEmail(t.current().db, owner.email)).toBeDefined();
    });

    it("createUser refuses a second account with the same email", async () => {
      const email = uniqueEmail();
      await createUser(t.current().db, { email, password: TEST_PASSWORD });
      await expect(
        createUser(t.current().db, { email: ` ${email.toUpperCase()} `, password: TEST_PASSWORD }),
      ).rejects.toThrow(/already exists/);
    });
  });
});
