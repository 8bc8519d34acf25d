// The Pulumi CLI, not vitest, loads the program on `pulumi up`: load it the same way.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const root = new URL("../../", import.meta.url);
const pulumiYaml = readFileSync(new URL("Pulumi.yaml", root), "utf8");

it("Pulumi.yaml turns off ts-node and loads TypeScript through tsx, for an ES-module package", () => {
  expect(JSON.parse(readFileSync(new URL("package.json", root), "utf8")).type).toBe("module");
  expect(pulumiYaml).toMatch(/^main: infra\/$/m);
  expect(pulumiYaml).toMatch(/^\s+typescript: false$/m);
  expect(pulumiYaml).toMatch(/^\s+nodeargs: "--import=tsx"$/m);
});

it("runs under plain node with Pulumi.yaml's nodeargs and a dynamic import of infra/index.ts", async () => {
  const nodeargs = /^\s+nodeargs: "([^"]+)"$/m.exec(pulumiYaml)?.[1]?.split(/\s+/) ?? [];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...nodeargs, "infra/test/support/load-program.ts"],
    {
      cwd: new URL(".", root).pathname,
      timeout: 90_000,
      env: { ...process.env, NODE_OPTIONS: "" },
    },
  );
  const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
  expect(result.resources).toBeGreaterThan(40);
  expect(result.outputs).toMatchObject({
    url: "https://d111111abcdef8.cloudfront.net",
    artifactSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
}, 120_000);
