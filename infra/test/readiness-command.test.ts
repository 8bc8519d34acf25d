// Runs the readiness command exactly as the program declares it, the way pulumi-command would run
// it (`sh -c`, in `dir` or else in the provider's working directory infra/), against moto's SSM.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProgramRun, runProgram } from "./support/mocks.ts";
import { type Moto, requireMoto, startMoto } from "./support/moto.ts";

/** Where Pulumi starts the program and its providers: Pulumi.yaml says `main: infra/`. */
const INFRA_DIR = fileURLToPath(new URL("..", import.meta.url));

const hasMoto = requireMoto();
let run: ProgramRun;
let moto: Moto | undefined;
beforeAll(async () => {
  run = await runProgram();
  if (hasMoto) moto = await startMoto();
}, 120_000);
afterAll(async () => {
  await moto?.stop();
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `sh -c create` with pulumi-command's cwd rule; stdin closed, killed if it hangs. */
function runCommand(create: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", create], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 50_000,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe.runIf(hasMoto)("the readiness command", () => {
  const declared = () => {
    const inputs = run.one("command:local:Command").inputs;
    return {
      create: inputs.create as string,
      dir: inputs.dir as string | undefined,
      environment: (inputs.environment ?? {}) as Record<string, string>,
    };
  };

  /** The provider's environment plus the command's, pointed at moto with fake credentials. */
  const commandEnv = (environment: Record<string, string>): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...environment,
      AWS_ENDPOINT_URL: moto?.endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
    };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    return env;
  };

  it("runs from its declared dir when Pulumi starts it in infra/, and reaches SSM until ready", async () => {
    const { create, dir, environment } = declared();
    // moto's SendCommand accepts any instance id, so the mocked id is used as declared.
    expect(environment.INSTANCE_ID).toBe("expense-tracker-instance-id");
    const exit = await runCommand(create, dir ?? INFRA_DIR, commandEnv(environment));
    expect(exit.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
    expect(exit.stderr).toMatch(
      /^wait-for-instance: .*expense-tracker-instance-id: asked cloud-init to report when done$/m,
    );
    expect(exit.stderr).toMatch(/^wait-for-instance: .*expense-tracker-instance-id: ready$/m);
    expect(exit).toMatchObject({ code: 0, signal: null });
  }, 60_000);

  it("fails with ERR_MODULE_NOT_FOUND without its dir (run in infra/, as before the fix)", async () => {
    const { create, environment } = declared();
    const exit = await runCommand(create, INFRA_DIR, commandEnv(environment));
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(exit.stderr).toContain("ERR_MODULE_NOT_FOUND");
    expect(exit.stderr).not.toContain("asked cloud-init");
  }, 60_000);
});
