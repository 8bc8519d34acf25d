// Runs the Pulumi program under the SDK's mocked runtime and records what it declares.
import * as pulumi from "@pulumi/pulumi";

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

export const REGION = "eu-central-1";
export const CLOUDFRONT_PREFIX_LIST_ID = "pl-a3a144ca";
export const CACHE_POLICY_IDS: Record<string, string> = {
  "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
};
export const ORIGIN_REQUEST_POLICY_IDS: Record<string, string> = {
  "Managed-AllViewerAndCloudFrontHeaders-2022-06": "33f36d7e-f396-46d9-90e0-52428a34d9dc",
};

/** Values AWS would compute, for the resource types whose outputs the program uses. */
function computedState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const arn = `arn:aws:${type.split(":")[1]?.split("/")[0]}:${REGION}:123456789012:${name}`;
  switch (type) {
    case "aws:rds/instance:Instance":
      return {
        arn,
        identifier: inputs.identifier ?? `${name}-0a1b2c3`,
        address: `${name}.abcdefghij.${REGION}.rds.amazonaws.com`,
        port: 5432,
        endpoint: `${name}.abcdefghij.${REGION}.rds.amazonaws.com:5432`,
        masterUserSecrets: [
          {
            secretArn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:rds!db-1234`,
            secretStatus: "active",
            kmsKeyId: "",
          },
        ],
      };
    case "aws:ec2/instance:Instance":
      return {
        arn,
        publicDns: `ec2-203-0-113-10.${REGION}.compute.amazonaws.com`,
        publicIp: "203.0.113.10",
      };
    case "aws:cloudfront/distribution:Distribution":
      return { arn, domainName: "d111111abcdef8.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2" };
    case "aws:s3/bucket:Bucket":
      return { arn: `arn:aws:s3:::${name}-bucket123`, bucket: `${name}-bucket123` };
    case "aws:secretsmanager/secret:Secret":
      return { arn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:${name}-AbCdEf` };
    case "aws:ec2/eip:Eip":
      return {
        allocationId: `eipalloc-${name}`,
        publicIp: "198.51.100.20",
        publicDns: `ec2-198-51-100-20.${REGION}.compute.amazonaws.com`,
      };
    case "random:index/randomId:RandomId":
      return { hex: "a1b2c3d4" };
    case "aws:ec2/keyPair:KeyPair":
      return { keyName: `${name}-key` };
    case "random:index/randomPassword:RandomPassword":
      return { result: `generated-${name}-${"x".repeat(Number(inputs.length ?? 16))}` };
    case "aws:acm/certificate:Certificate":
      return {
        arn,
        domainValidationOptions: [
          {
            domainName: inputs.domainName,
            resourceRecordName: `_x.${inputs.domainName}.`,
            resourceRecordType: "CNAME",
            resourceRecordValue: "_y.acm-validations.aws.",
          },
        ],
      };
    case "aws:route53/record:Record":
      return { fqdn: String(inputs.name) };
    case "aws:acm/certificateValidation:CertificateValidation":
      return { certificateArn: inputs.certificateArn };
    default:
      return { arn };
  }
}

/** Answers the invokes the program makes; any other invoke fails the test. */
function answerInvoke(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return {
        names: [`${REGION}a`, `${REGION}b`, `${REGION}c`],
        zoneIds: ["euc1-az2", "euc1-az3", "euc1-az1"],
        id: REGION,
      };
    case "aws:index/getRegion:getRegion":
      return { region: REGION, name: REGION, id: REGION };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ec2/getAmi:getAmi": {
      const filters = inputs.filters as { name: string; values: string[] }[];
      const arch = filters.find((f) => f.name === "architecture")?.values[0];
      return {
        id: arch === "arm64" ? "ami-0arm64ubuntu2404" : "ami-0amd64ubuntu2404",
        architecture: arch,
      };
    }
    case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
      if (inputs.name !== "com.amazonaws.global.cloudfront.origin-facing")
        throw new Error(`unexpected prefix list ${inputs.name}`);
      return { id: CLOUDFRONT_PREFIX_LIST_ID, name: inputs.name };
    case "aws:cloudfront/getCachePolicy:getCachePolicy": {
      const id = CACHE_POLICY_IDS[String(inputs.name)];
      if (!id) throw new Error(`unexpected cache policy ${inputs.name}`);
      return { id, name: inputs.name };
    }
    case "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": {
      const id = ORIGIN_REQUEST_POLICY_IDS[String(inputs.name)];
      if (!id) throw new Error(`unexpected origin request policy ${inputs.name}`);
      return { id, name: inputs.name };
    }
    default:
      throw new Error(`unexpected invoke ${token} ${JSON.stringify(inputs)}`);
  }
}

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
