import { OperatorError } from "./errors.ts";
import { type PulumiRunner, runPulumi, stackConfig } from "./stack.ts";

/**
 * The owner's e-mail and password for the smoke test: SMOKE_EMAIL / SMOKE_PASSWORD, else the
 * stack's ownerEmail / ownerPassword config (`pulumi config get` decrypts the secret).
 */
export async function ownerLogin(
  env: NodeJS.ProcessEnv = process.env,
  stack?: string,
  pulumi: PulumiRunner = runPulumi,
): Promise<{ email: string; password: string }> {
  const email = env.SMOKE_EMAIL || (await stackConfig("ownerEmail", stack, pulumi));
  const password = env.SMOKE_PASSWORD || (await stackConfig("ownerPassword", stack, pulumi));
  if (!email || !password) {
    const which =
      !email && !password ? "e-mail and password are" : !email ? "e-mail is" : "password is";
    throw new OperatorError(
      `the owner's ${which} missing: set SMOKE_EMAIL and SMOKE_PASSWORD (or pulumi config set ownerEmail / --secret ownerPassword)`,
    );
  }
  return { email, password };
}
