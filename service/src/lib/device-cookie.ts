import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a browser stays known for an account after a successful sign-in. */
export const DEVICE_COOKIE_TTL_MS = 180 * 24 * 60 * 60 * 1000;

const mac = (secret: string, account: string, nonce: string, expires: number) =>
  createHmac("sha256", secret).update(`device\n${account}\n${nonce}\n${expires}`).digest();

/**
 * OWASP's device cookie: proof that this browser once signed in to `account`. It names the
 * account only through the signature, so the cookie shows no email address. Stateless: the
 * nonce identifies the browser for its own failure limit.
 */
export function issueDeviceCookie(secret: string, account: string, nowMs: number): string {
  const nonce = randomBytes(16).toString("base64url");
  const expires = nowMs + DEVICE_COOKIE_TTL_MS;
  return `${nonce}.${expires}.${mac(secret, account, nonce, expires).toString("base64url")}`;
}

/** The cookie's nonce when it is genuine, unexpired and issued for `account`; else undefined. */
export function verifyDeviceCookie(
  secret: string,
  account: string,
  cookie: string | undefined,
  nowMs: number,
): string | undefined {
  const match = /^([A-Za-z0-9_-]{22})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(cookie ?? "");
  if (!match) return undefined;
  const [, nonce = "", expiresText = "", signature = ""] = match;
  const expires = Number(expiresText);
  if (expires <= nowMs) return undefined;
  const expected = mac(secret, account, nonce, expires);
  const given = Buffer.from(signature, "base64url");
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : undefined;
}
