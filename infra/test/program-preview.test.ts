// `pulumi preview` of a new stack: the program runs without provider-computed values.
import { expect, it } from "vitest";
import { runProgram } from "./support/mocks.ts";

it("declares the same resources in preview mode and exports the build's sha256", async () => {
  const run = await runProgram({}, { preview: true });
  expect(run.all("aws:ec2/instance:Instance")).toHaveLength(1);
  expect(run.all("aws:cloudfront/distribution:Distribution")).toHaveLength(1);
  expect(run.all("aws:rds/instance:Instance")).toHaveLength(1);
  expect(run.outputs.artifactSha256).toMatch(/^[0-9a-f]{64}$/);
}, 120_000);
