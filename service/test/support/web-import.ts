// Driving the web import as a browser does: upload, read the preview, confirm, run the job.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "../../src/db/client.ts";
import { imports, importUploads, transactions } from "../../src/db/schema.ts";
import { importJobs } from "../../src/jobs/imports.ts";
import { silentLogger } from "../../src/lib/logger.ts";
import type { Agent } from "./harness.ts";

const DIR = new URL("../fixtures/csv/", import.meta.url);

export const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));

/** Uploads a file and returns the staged import's id (the upload redirects to its preview). */
export async function uploadFile(
  agent: Agent,
  name: string,
  content: string | Uint8Array,
  form: Record<string, string> = {},
): Promise<number> {
  const res = await agent.upload("/imports/upload", { name, content }, form);
  expect(res.status, await res.clone().text()).toBe(303);
  const id = Number(/^\/imports\/(\d+)$/.exec(res.headers.get("location") ?? "")?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** The preview page's HTML (it also refreshes the agent's CSRF token). */
export async function previewHtml(agent: Agent, id: number): Promise<string> {
  const res = await agent.get(`/imports/${id}`);
  expect(res.status).toBe(200);
  return res.text();
}

/** Runs the queued imports as the server's job runner does. */
export const runJobs = (db: Db) => importJobs({ db, logger: silentLogger }).drain();

export async function importRow(db: Db, id: number) {
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  return row;
}

export async function stagedBytes(db: Db, id: number) {
  return (await db.select().from(importUploads).where(eq(importUploads.importId, id))).length;
}

export async function storedRows(db: Db, userId: number) {
  return db
    .select({
      title: transactions.title,
      kind: transactions.kind,
      amountCents: transactions.amountCents,
      occurredOn: transactions.occurredOn,
      categoryId: transactions.categoryId,
      importId: transactions.importId,
    })
    .from(transactions)
    .where(eq(transactions.userId, userId))
    .orderBy(transactions.occurredOn, transactions.title);
}

/** The settings form's values as the preview shows them, to post back with some changed. */
export function settingsFields(html: string): Record<string, string> {
  const form = /<form[^>]*data-import-settings[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const selected = /<option value="([^"]*)" selected/.exec(m[2] ?? "");
    fields[m[1] ?? ""] = htmlText(
      selected?.[1] ?? /<option value="([^"]*)"/.exec(m[2] ?? "")?.[1] ?? "",
    );
  }
  for (const m of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*>/g)) {
    if (m[1] === "_csrf") continue;
    fields[m[1] ?? ""] = htmlText(/value="([^"]*)"/.exec(m[0])?.[1] ?? "");
  }
  return fields;
}

const htmlText = (s: string) =>
  s
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
