// Runs the Pulumi program under the SDK's mocked runtime and records what it declares.
import * as pulumi from "@pulumi/pulumi";
import { answerInvoke, computedState, REGION } from "./mock-aws.ts";

export interface DeclaredResource {
  type: string;
  name: string;
  /** Inputs as the provider would receive them, secrets unwrapped. */
  inputs: Record<string, unknown>;
  /** Top-level input keys whose value is (or contains) a secret. */
  secretInputs: string[];
  /** Names of the resources it depends on (dependsOn and inputs), as the engine is told. */
  dependsOn: string[];
  /** The same, as `type::name`. */
  dependsOnTyped: string[];
  /** Pulumi's `protect` option. */
  protect: boolean;
}

interface Registration {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
}

// How the SDK marks a secret value when it serialises inputs for the mock monitor.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE
  );
}

/** Unwraps secret markers anywhere in `v`; `found` is set when there was one. */
function unwrapSecrets(v: unknown, found: { secret: boolean }): unknown {
  if (isSecret(v)) {
    found.secret = true;
    return unwrapSecrets(v.value, found);
  }
  if (Array.isArray(v)) return v.map((x) => unwrapSecrets(x, found));
  if (typeof v === "object" && v !== null && !(v instanceof Promise)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x, found)]));
  }
  return v;
}

export {
  CACHE_POLICY_IDS,
  CLOUDFRONT_PREFIX_LIST_ID,
  ORIGIN_REQUEST_POLICY_IDS,
  REGION,
} from "./mock-aws.ts";

export const OWNER_PASSWORD = "owner-first-password-s3cret";

export const BASE_CONFIG: Record<string, string> = {
  "expense-tracker:alertEmail": "alerts@example.com",
  "expense-tracker:ownerEmail": "owner@example.com",
  "expense-tracker:ownerPassword": OWNER_PASSWORD,
  "aws:region": REGION,
};

export interface ProgramRun {
  resources: DeclaredResource[];
  invokes: { token: string; inputs: Record<string, unknown> }[];
  outputs: Record<string, unknown>;
  /** The first resource of a type (and, optionally, whose name ends with `suffix`). */
  one(type: string, suffix?: string): DeclaredResource;
  all(type: string): DeclaredResource[];
}

/** Resolves an Output to its value (undefined when unknown, as in a preview). */
export function settle<T>(o: pulumi.Output<T> | T): Promise<T | undefined> {
  if (!pulumi.Output.isInstance(o)) return Promise.resolve(o);
  return (o as unknown as { promise(): Promise<T> }).promise();
}

/**
 * Sets mocks and config, then imports the program (which must not have been imported before in
 * this module graph), and waits for its outputs.
 */
export async function runProgram(
  config: Record<string, string> = {},
  options: {
    preview?: boolean;
    programUrl?: string;
    /** State AWS reports for every resource of a type, over what the mocks compute. */
    state?: Record<string, Record<string, unknown>>;
    /** The stack's outputs from its last deploy, as its self-reference reads them. */
    deployedOutputs?: Record<string, unknown>;
  } = {},
): Promise<ProgramRun> {
  const resources: DeclaredResource[] = [];
  const invokes: ProgramRun["invokes"] = [];
  pulumi.runtime.setAllConfig({ ...BASE_CONFIG, ...config }, ["expense-tracker:ownerPassword"]);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const secretInputs: string[] = [];
        const inputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(args.inputs as Record<string, unknown>)) {
          const found = { secret: false };
          inputs[k] = unwrapSecrets(v, found);
          if (found.secret) secretInputs.push(k);
        }
        resources.push({
          type: args.type,
          name: args.name,
          inputs,
          secretInputs,
          dependsOn: [],
          dependsOnTyped: [],
          protect: false,
        });
        if (args.type === "pulumi:pulumi:StackReference") {
          return {
            id: args.id ?? args.name,
            state: {
              name: args.name,
              outputs: options.deployedOutputs ?? {},
              secretOutputNames: [],
            },
          };
        }
        // AWS names the resources that are given no name.
        const named = { name: inputs.name ?? `${args.name}-0a1b2c3` };
        return {
          id: `${args.name}-id`,
          state: {
            ...named,
            ...inputs,
            ...computedState(args.type, args.name, inputs),
            ...options.state?.[args.type],
          },
        };
      },
      call(args) {
        invokes.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        return answerInvoke(args.token, args.inputs as Record<string, unknown>);
      },
    },
    "expense-tracker",
    "test",
    options.preview ?? false,
    "organization",
  );
  // The mocks see inputs only; the monitor's requests also carry dependencies and options.
  const registrations = new Map<
    string,
    { dependsOn: string[]; dependsOnTyped: string[]; protect: boolean }
  >();
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: Registration, cb: unknown): unknown;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    registrations.set(`${req.getType()}::${req.getName()}`, {
      dependsOn: req.getDependenciesList().map((urn) => urn.slice(urn.lastIndexOf("::") + 2)),
      // urn:pulumi:stack::project::parent$type::name
      dependsOnTyped: req.getDependenciesList().map((urn) => {
        const [, , typePath = "", name = ""] = urn.split("::");
        return `${typePath.slice(typePath.lastIndexOf("$") + 1)}::${name}`;
      }),
      protect: req.getProtect(),
    });
    return register(req, cb);
  };
  let program: Record<string, unknown>;
  try {
    program = (await import(options.programUrl ?? "../../index.ts")) as Record<string, unknown>;
  } catch (err) {
    // Let a test see what had been declared when the program failed.
    throw Object.assign(err as Error, { declared: resources });
  }
  const outputs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(program))
    outputs[k] = await settle(v as pulumi.Output<unknown>);
  for (const r of resources) Object.assign(r, registrations.get(`${r.type}::${r.name}`));
  const all = (type: string) => resources.filter((r) => r.type === type);
  return {
    resources,
    invokes,
    outputs,
    all,
    one(type, suffix) {
      const found = all(type).find((r) => suffix === undefined || r.name.endsWith(suffix));
      if (!found) throw new Error(`no ${type}${suffix ? ` named *${suffix}` : ""} was declared`);
      return found;
    },
  };
}
