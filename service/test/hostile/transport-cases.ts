// Hostile requests below the forms: bytes, tokens, origins, methods and hosts.
import type { HostileCase } from "./cases.ts";
import { UTF8 } from "./rules.ts";

const FORM_EXPIRED = "This form has expired or was sent from another site";

export const TRANSPORT_CASES: HostileCase[] = [
  // Invalid UTF-8 in bodies
  {
    name: "urlencoded title %ff",
    send: (ctx) => ctx.form("/transactions", { title: "x" }, { "x-raw-suffix": "&title=%ff" }),
    status: 400,
    says: UTF8,
  },
  {
    name: "urlencoded sign-in email with a lone surrogate",
    send: (ctx) => ctx.form("/signin", { password: "x" }, { "x-raw-suffix": "&email=%ED%A0%80" }),
    status: 400,
    says: UTF8,
  },
  {
    name: "urlencoded raw byte 0xff",
    send: (ctx) => ctx.form("/transactions", { title: "x" }, { "x-raw-bytes": "ff" }),
    status: 400,
    says: UTF8,
  },
  {
    name: "multipart text field with Windows-1252 bytes",
    send: (ctx) => ctx.form("/transactions", { title: "x" }, { "x-multipart-title-hex": "80e9" }),
    status: 400,
    says: UTF8,
  },
  // Cookies, tokens and origins
  {
    name: "form without a CSRF token",
    send: (ctx) => ctx.form("/transactions", { _csrf: "" }),
    status: 403,
    says: FORM_EXPIRED,
  },
  {
    name: "form with a forged CSRF token",
    send: (ctx) => ctx.form("/transactions", { _csrf: "A".repeat(86) }),
    status: 403,
    says: FORM_EXPIRED,
  },
  {
    name: "form from another origin",
    send: (ctx) => ctx.form("/transactions", {}, { origin: "https://evil.example" }),
    status: 403,
    says: FORM_EXPIRED,
  },
  {
    name: "form marked cross-site by the browser",
    send: (ctx) => ctx.form("/transactions", {}, { "sec-fetch-site": "cross-site" }),
    status: 403,
    says: FORM_EXPIRED,
  },
  {
    name: "JSON instead of a form",
    send: (ctx) =>
      ctx.raw("/transactions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
    status: 403,
    says: FORM_EXPIRED,
  },
  {
    name: "multipart that is not",
    send: (ctx) =>
      ctx.raw("/transactions", {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=x" },
        body: "not multipart",
      }),
    status: 403,
    says: FORM_EXPIRED,
  },
  {
    name: "body over 1 MB",
    send: (ctx) => ctx.form("/transactions", { notes: "n".repeat(1024 * 1024 + 10) }),
    status: 413,
    says: "larger than 1 MB",
  },
  // Assets
  ...["POST", "PUT", "DELETE", "PATCH"].map(
    (method): HostileCase => ({
      name: `${method} to a stylesheet`,
      send: (ctx) =>
        ctx.raw(ctx.assetPath, { method, body: method === "DELETE" ? null : "x".repeat(2000) }),
      status: 405,
      says: "can only be fetched, with GET or HEAD",
    }),
  ),
  // Hosts (the app in this suite has PUBLIC_URL=http://money.example.test)
  ...[
    "evil.example",
    "money.example.test.evil.example",
    "money.example.test@evil.example",
    "[::1]:3000",
  ].map(
    (host): HostileCase => ({
      name: `Host: ${host}`,
      send: (ctx) => ctx.raw("/", { headers: { host } }),
      status: 421,
      says: "This site answers only at http://money.example.test",
    }),
  ),
];
