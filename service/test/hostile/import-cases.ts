// Hostile input to the web import: uploads without a file, with a profile that is not one, over
// the size limit, and its pages under ids that are not the user's imports.
import type { HostileCase } from "./cases.ts";

export interface ImportCtx {
  /** Posts a multipart form as the owner's browser, with a fresh CSRF token. */
  upload(
    fields: Record<string, string>,
    file?: { name: string; content: string },
  ): Response | Promise<Response>;
}

const CSV = "Date,Title,Amount\n2026-03-01,Coffee,-3.50\n";

export const IMPORT_CASES: HostileCase[] = [
  {
    name: "upload without a file",
    send: (ctx) => ctx.upload({}),
    status: 422,
    says: "Choose a CSV file to upload",
  },
  {
    name: "upload with the file as a text field",
    send: (ctx) => ctx.upload({ file: CSV }),
    status: 422,
    says: "Choose a CSV file to upload",
  },
  {
    name: "upload of an empty file",
    send: (ctx) => ctx.upload({}, { name: "empty.csv", content: "" }),
    status: 422,
    says: "Choose a CSV file to upload",
  },
  ...["1e0", "0x1", "-1", "99999999"].map(
    (v): HostileCase => ({
      name: `upload with profileId=${v}`,
      send: (ctx) => ctx.upload({ profileId: v }, { name: "a.csv", content: CSV }),
      status: 422,
      says: "Choose one of your saved profiles",
    }),
  ),
  {
    name: "upload over 20 MB",
    send: (ctx) =>
      ctx.upload({}, { name: "big.csv", content: CSV.repeat((20 * 1024 * 1024) / CSV.length + 1) }),
    status: 413,
    says: "larger than 20 MB",
  },
  ...["abc", "1e0", "99999999"].flatMap((id) =>
    ["settings", "confirm", "profile", "discard"].map(
      (action): HostileCase => ({
        name: `POST /imports/${id}/${action}`,
        send: (ctx) => ctx.form(`/imports/${id}/${action}`, { name: "x", delimiter: ";" }),
        status: 404,
        says: "This page does not exist",
      }),
    ),
  ),
  {
    name: "GET /imports/99999999",
    send: (ctx) => ctx.raw("/imports/99999999"),
    status: 404,
    says: "This page does not exist",
  },
];
