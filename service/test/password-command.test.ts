import { describe, expect, it } from "vitest";
import { PasswordCache, runPasswordCommand } from "../src/db/password-command.ts";

describe("PasswordCache", () => {
  function counted(answers: Array<string | Error>) {
    let runs = 0;
    const cache = new PasswordCache(async () => {
      const answer = answers[Math.min(runs++, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer as string;
    });
    return { cache, runs: () => runs };
  }

  it("connections starting together share one run of the command", async () => {
    const { cache, runs } = counted(["one"]);
    const got = await Promise.all([{}, {}, {}].map((c) => cache.get(c)));
    expect(got).toEqual(["one", "one", "one"]);
    expect(runs()).toBe(1);
  });

  it("forgets a rejected password once, not again when a late failure reports the old one", async () => {
    const { cache, runs } = counted(["old", "new", "newer"]);
    const [a, b, c] = [{}, {}, {}];
    await cache.get(a);
    await cache.get(b);
    cache.rejected(a);
    expect(await cache.get(c)).toBe("new");
    cache.rejected(b); // b failed with "old", which is no longer cached
    expect(await cache.get({})).toBe("new");
    expect(runs()).toBe(2);
    cache.rejected(c);
    expect(await cache.get({})).toBe("newer");
  });

  it("does not keep a failed run: the next connection runs the command again", async () => {
    const { cache, runs } = counted([new Error("secret unavailable"), "ok"]);
    await expect(cache.get({})).rejects.toThrow("secret unavailable");
    expect(await cache.get({})).toBe("ok");
    expect(runs()).toBe(2);
  });
});

describe("runPasswordCommand", () => {
  const node = (code: string) => [process.execPath, "-e", code];

  it("returns what the command printed, less one final newline", async () => {
    expect(await runPasswordCommand(node('process.stdout.write(" pa ss \\n")'))).toBe(" pa ss ");
  });

  it("names an exit status and the last stderr line, never the output", async () => {
    const err = await runPasswordCommand(
      node('process.stdout.write("hunter2"); console.error("AccessDenied"); process.exit(4)'),
    ).catch((e: Error) => e);
    expect(String(err)).toMatch(/exited with status 4: AccessDenied$/);
    expect(String(err)).not.toContain("hunter2");
  });

  it("refuses empty output, output over 64 KiB, and a program that does not exist", async () => {
    await expect(runPasswordCommand(node("console.log()"))).rejects.toThrow(/printed nothing/);
    await expect(
      runPasswordCommand(node('process.stdout.write("x".repeat(70000))')),
    ).rejects.toThrow(/printed more than 65536 bytes/);
    await expect(runPasswordCommand(["/nonexistent/et-fetch"])).rejects.toThrow(/was not found/);
  });
});
