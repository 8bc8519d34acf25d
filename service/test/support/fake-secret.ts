import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FakeSecret {
  /** Program and arguments for DATABASE_PASSWORD_COMMAND. */
  command: string[];
  /** Publishes a new value, the way a rotation updates the secret. */
  rotate(value: string): void;
  /** How many times the command has run. */
  runs(): number;
}

// Stands in for `et-fetch secret <arn> --json-key password`: counts its runs, prints the file.
const FETCH_SCRIPT = `import { appendFileSync, existsSync, readFileSync } from "node:fs";
const [secretFile, runsFile] = process.argv.slice(2);
appendFileSync(runsFile, "run\\n");
if (!existsSync(secretFile)) {
  process.stderr.write("no secret at " + secretFile + "\\n");
  process.exit(3);
}
process.stdout.write(readFileSync(secretFile, "utf8"));
`;

/**
 * Secrets kept as files under `dir`, each printed (with a final newline, as the real command
 * prints it) by a password command that counts its runs. A secret created without a value makes
 * the command fail with status 3 until it is rotated.
 */
export function fakeSecrets(dir: string): (name: string, value?: string) => FakeSecret {
  const script = join(dir, "fetch-secret.mjs");
  writeFileSync(script, FETCH_SCRIPT);
  return (name, value) => {
    const file = join(dir, `${name}.secret`);
    const runsFile = join(dir, `${name}.runs`);
    const rotate = (next: string) => writeFileSync(file, `${next}\n`);
    if (value !== undefined) rotate(value);
    return {
      command: [process.execPath, script, file, runsFile],
      rotate,
      runs: () =>
        existsSync(runsFile)
          ? readFileSync(runsFile, "utf8").split("\n").filter(Boolean).length
          : 0,
    };
  };
}
