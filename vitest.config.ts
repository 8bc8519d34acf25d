import { defineConfig } from "vitest/config";

export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    include: [
      "service/test/**/*.test.{ts,tsx}",
      "infra/test/**/*.test.ts",
      "scripts/test/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file gets its own module graph, so per-file configuration and mocks never leak.
    isolate: true,
    // Most suites wait on child processes, sockets and scrypt rather than the CPU: three files at
    // a time on a 2-core machine take about half as long as one at a time.
    maxWorkers: 3,
  },
});
