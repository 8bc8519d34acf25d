// Guessing stays slow from any number of addresses, yet strangers cannot lock the owner out:
// OWASP's device cookie exempts a browser that signed in before from the account's limit.
import { describe, expect, it } from "vitest";
import { addressKey, isLoopback } from "../src/lib/address.ts";
import { issueDeviceCookie, verifyDeviceCookie } from "../src/lib/device-cookie.ts";
import { SIGN_IN_LIMITS } from "../src/routes/auth.tsx";
import {
  Agent,
  describeEachDatabase,
  signedInAgent,
  TEST_PASSWORD,
  TEST_SECRET,
  testApp,
} from "./support/harness.ts";

describe("addressKey", () => {
  it.each([
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
    ["::ffff:192.0.2.7", "192.0.2.7"],
    ["64:ff9b::192.0.2.7", "64:ff9b:0:0::/64"],
    ["192.0.2.7", "192.0.2.7"],
    ["unknown", "unknown"],
  ])("%s counts as %s", (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it("tells loopback addresses from others", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].map(isLoopback)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["10.0.0.1", "::2", "2001:db8::1", "unknown"].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("device cookie", () => {
  const now = Date.UTC(2026, 0, 1);
  const cookie = issueDeviceCookie(TEST_SECRET, "me@example.test", now);

  it("is accepted for its own account until it expires", () => {
    expect(verifyDeviceCookie(TEST_SECRET, "me@example.test", cookie, now + 1000)).toBeTruthy();
    expect(verifyDeviceCookie(TEST_SECRET, "me@example.test", cookie, now + 200 * 86400e3)).toBe(
      undefined,
    );
  });

  it("is refused for another account, another key, or when altered", () => {
    expect(verifyDeviceCookie(TEST_SECRET, "you@example.test", cookie, now)).toBe(undefined);
    expect(verifyDeviceCookie(`${TEST_SECRET}x`, "me@example.test", cookie, now)).toBe(undefined);
    const [nonce, expires, mac] = cookie.split(".");
    const later = `${nonce}.${Number(expires) + 1}.${mac}`;
    expect(verifyDeviceCookie(TEST_SECRET, "me@example.test", later, now)).toBe(undefined);
    expect(verifyDeviceCookie(TEST_SECRET, "me@example.test", "garbage", now)).toBe(undefined);
  });

  it("does not show the email address", () => {
    expect(cookie).not.toContain("me");
  });
});

describeEachDatabase("sign-in lockout", (t) => {
  const from = (ip: string) => ({ "x-forwarded-for": ip });

  async function strangersFail(shared: ReturnType<typeof testApp>, email: string) {
    for (let i = 0; i < SIGN_IN_LIMITS.account; i++) {
      const stranger = new Agent(shared, from(`198.51.100.${i + 1}`));
      expect((await stranger.post("/signin", { email, password: "guess" })).status).toBe(401);
    }
  }

  it("after 20 strangers' failures, a new browser waits but the owner's own browser gets in", async () => {
    const app = testApp(t.current());
    const { email } = await signedInAgent(app, t.current());
    const shared = testApp(t.current(), { trustProxy: 1 });
    const owner = new Agent(shared, from("203.0.113.5"));
    expect((await owner.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(303);
    expect(owner.cookies.get("et_device")).toBeTruthy();
    await owner.get("/");
    expect((await owner.post("/signout", {})).status).toBe(303);
    await owner.get("/signin");

    await strangersFail(shared, email);
    const newBrowser = new Agent(shared, from("203.0.113.5"));
    const refused = await newBrowser.post("/signin", { email, password: TEST_PASSWORD });
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("Too many failed sign-ins");
    // The same address, but the browser that signed in before: not locked out.
    const res = await owner.post("/signin", { email, password: TEST_PASSWORD });
    expect(res.status).toBe(303);
  });

  it("a browser with a device cookie has its own limit of 5 failures a minute", async () => {
    const shared = testApp(t.current(), { trustProxy: 1 });
    const { email } = await signedInAgent(shared, t.current());
    const owner = new Agent(shared, from("203.0.113.6"));
    expect((await owner.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(303);
    await owner.get("/");
    for (let i = 0; i < SIGN_IN_LIMITS.device; i++) {
      expect((await owner.post("/signin", { email, password: "typo" })).status).toBe(401);
    }
    expect((await owner.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(429);
  });

  it("a device cookie earned on one account does not exempt guesses at another", async () => {
    const app = testApp(t.current());
    const victim = await signedInAgent(app, t.current());
    const attacker = await signedInAgent(app, t.current());
    const shared = testApp(t.current(), { trustProxy: 1 });
    const guesser = new Agent(shared, from("192.0.2.50"));
    await guesser.post("/signin", { email: attacker.email, password: TEST_PASSWORD });
    expect(guesser.cookies.get("et_device")).toBeTruthy();
    await guesser.get("/");
    await strangersFail(shared, victim.email);
    const res = await guesser.post("/signin", { email: victim.email, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
  });

  it("counts IPv6 clients by /64: five failures from one /64 stop the whole prefix", async () => {
    const app = testApp(t.current());
    const { email } = await signedInAgent(app, t.current());
    const shared = testApp(t.current(), { trustProxy: 1 });
    for (let i = 1; i <= SIGN_IN_LIMITS.address; i++) {
      const a = new Agent(shared, from(`2001:db8:7:7::${i.toString(16)}`));
      expect((await a.post("/signin", { email, password: "guess" })).status).toBe(401);
    }
    const samePrefix = new Agent(shared, from("2001:db8:7:7:abcd::99"));
    expect((await samePrefix.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(429);
    const otherPrefix = new Agent(shared, from("2001:db8:7:8::1"));
    expect((await otherPrefix.post("/signin", { email, password: TEST_PASSWORD })).status).toBe(
      303,
    );
  });
});
