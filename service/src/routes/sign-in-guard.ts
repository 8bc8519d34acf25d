import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env.ts";
import { addressKey } from "../lib/address.ts";
import {
  DEVICE_COOKIE_TTL_MS,
  issueDeviceCookie,
  verifyDeviceCookie,
} from "../lib/device-cookie.ts";
import { cookieOptions, now } from "../middleware/session.ts";

export const DEVICE_COOKIE = "et_device";

/**
 * Failed sign-ins allowed per minute. A browser without a device cookie for the account is
 * limited per account and address, per address (an IPv6 /64 counts as one) and per account from
 * anywhere, so guessing from many addresses stays slow. A browser with one (it signed in to that
 * account before) has only its own limit: strangers' guesses cannot lock the owner's browser out.
 */
export const SIGN_IN_LIMITS = { accountAddress: 5, address: 5, account: 20, device: 5 } as const;

/** The throttle keys and limits of one sign-in attempt. */
export function signInLimits(
  account: string,
  ip: string,
  deviceNonce: string | undefined,
): Record<string, number> {
  if (deviceNonce) return { [`device:${deviceNonce}`]: SIGN_IN_LIMITS.device };
  const where = addressKey(ip);
  return {
    [`pair:${account}|${where}`]: SIGN_IN_LIMITS.accountAddress,
    [`address:${where}`]: SIGN_IN_LIMITS.address,
    [`account:${account}`]: SIGN_IN_LIMITS.account,
  };
}

/** The limits that apply to this request's attempt to sign in to `account`. */
export function limitsFor(c: Context<AppEnv>, account: string): Record<string, number> {
  const nonce = verifyDeviceCookie(
    c.get("deps").sessionSecret,
    account,
    getCookie(c, DEVICE_COOKIE),
    now(c).getTime(),
  );
  return signInLimits(account, c.get("client").ip, nonce);
}

/** After a successful sign-in: this browser is known for `account` from now on. */
export function rememberDevice(c: Context<AppEnv>, account: string): void {
  const value = issueDeviceCookie(c.get("deps").sessionSecret, account, now(c).getTime());
  setCookie(c, DEVICE_COOKIE, value, {
    ...cookieOptions(c, DEVICE_COOKIE_TTL_MS / 1000),
    path: "/signin",
  });
}
