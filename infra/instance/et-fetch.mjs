// et-fetch: fetches an S3 object or a Secrets Manager secret with the EC2 instance role.
// Ubuntu 24.04 has no AWS CLI in its archive, so the instance runs this instead, on the pinned
// Node.js, with node: built-ins only. cloud-init writes it to /usr/local/bin/et-fetch.
//
//   et-fetch s3 <bucket> <key> <dest> --sha256 <hex> [--mode 0644] [--region r]
//   et-fetch secret <secret-id> [--json-key k] [--out file [--mode 0600]] [--region r]
//
// Credentials and region come from IMDSv2. Tests point it elsewhere with ET_FETCH_IMDS_URL,
// ET_FETCH_S3_ENDPOINT (path-style: <endpoint>/<bucket>/<key>) and ET_FETCH_SECRETS_ENDPOINT,
// and shorten the retry back-off with ET_FETCH_BACKOFF_MS.
import { createHash, createHmac } from "node:crypto";
import {
  chmodSync,
  createWriteStream,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import https from "node:https";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

const IMDS_URL = process.env.ET_FETCH_IMDS_URL || "http://169.254.169.254";
/** Attempts per request for network errors, 5xx and 429; waits 0.5, 1, 2, 4 s in between. */
const ATTEMPTS = 5;
const BACKOFF_MS = Number(process.env.ET_FETCH_BACKOFF_MS) || 500;
const USAGE =
  "usage: et-fetch s3 <bucket> <key> <dest> --sha256 <hex> [--mode 0644] [--region r]\n" +
  "       et-fetch secret <secret-id> [--json-key k] [--out file [--mode 0600]] [--region r]";

export class FetchError extends Error {}

export const sha256Hex = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export const escapeUri = (s) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * Signs a request with AWS Signature Version 4. `headers` must hold every header to sign
 * (host included); returns them with x-amz-date, x-amz-security-token and authorization added.
 * The payload hash is x-amz-content-sha256 when present, else the body's sha256.
 */
export function signRequest({
  method,
  path,
  headers,
  body = "",
  service,
  region,
  credentials,
  date,
}) {
  const amzDate = date.toISOString().replace(/[-:]|\.\d{3}/g, "");
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const signed = { ...lowerKeys(headers), "x-amz-date": amzDate };
  if (credentials.sessionToken) signed["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(signed).sort();
  const payloadHash = signed["x-amz-content-sha256"] ?? sha256Hex(body);
  // S3 signs the path as sent; every other service signs it URI-encoded once more.
  const canonicalPath = service === "s3" ? path : path.split("/").map(escapeUri).join("/");
  const canonicalRequest = [
    method,
    canonicalPath,
    "",
    ...names.map((n) => `${n}:${String(signed[n]).trim().replace(/\s+/g, " ")}`),
    "",
    names.join(";"),
    payloadHash,
  ].join("\n");
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
  let key = `AWS4${credentials.secretAccessKey}`;
  for (const part of scope.split("/")) key = hmac(key, part);
  const signature = hmac(key, stringToSign).toString("hex");
  signed.authorization =
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${names.join(";")}, Signature=${signature}`;
  return signed;
}

function lowerKeys(headers) {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** One HTTP(S) request; resolves with the response stream, which the caller must consume. */
function request(url, { method = "GET", headers = {}, body, timeoutMs = 10_000 }) {
  const u = new URL(url);
  const lib = u.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(u, { method, headers, timeout: timeoutMs }, resolve);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

async function readBody(res) {
  const chunks = [];
  for await (const chunk of res) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const retryable = (status) => status >= 500 || status === 429;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `attempt` up to ATTEMPTS times while it fails with a network error or answers 5xx/429.
 * `attempt` resolves with the response; a final retryable failure throws FetchError.
 */
async function withRetries(what, attempt) {
  let last = "";
  for (let i = 0; i < ATTEMPTS; i++) {
    if (i > 0) await sleep(BACKOFF_MS * 2 ** (i - 1));
    let res;
    try {
      res = await attempt();
    } catch (err) {
      if (err instanceof FetchError) throw err;
      last = err.message || String(err.code);
      continue;
    }
    if (!retryable(res.statusCode)) return res;
    last = `HTTP ${res.statusCode} ${oneLine(await readBody(res))}`;
  }
  throw new FetchError(`${what}: gave up after ${ATTEMPTS} attempts (${last})`);
}

const oneLine = (text) => text.replace(/\s+/g, " ").trim().slice(0, 300);

/** The instance role's temporary credentials, through IMDSv2 (a session token is required). */
export async function instanceCredentials() {
  const tokenRes = await withRetries("IMDS token", () =>
    request(`${IMDS_URL}/latest/api/token`, {
      method: "PUT",
      headers: { "x-aws-ec2-metadata-token-ttl-seconds": "300" },
      timeoutMs: 2_000,
    }),
  );
  const token = await expectOk("IMDS token", tokenRes);
  const get = async (path) =>
    expectOk(
      `IMDS ${path}`,
      await withRetries(`IMDS ${path}`, () =>
        request(`${IMDS_URL}${path}`, {
          headers: { "x-aws-ec2-metadata-token": token },
          timeoutMs: 2_000,
        }),
      ),
    );
  const base = "/latest/meta-data/iam/security-credentials/";
  const role = (await get(base)).split("\n")[0]?.trim();
  if (!role) throw new FetchError("IMDS: the instance has no IAM role attached");
  const c = JSON.parse(await get(`${base}${role}`));
  if (c.Code !== "Success") throw new FetchError(`IMDS: credentials for ${role}: ${c.Code}`);
  const region = async () => (await get("/latest/meta-data/placement/region")).trim();
  return {
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.Token,
    },
    region,
  };
}

async function expectOk(what, res) {
  const text = await readBody(res);
  if (res.statusCode !== 200)
    throw new FetchError(`${what}: HTTP ${res.statusCode} ${oneLine(text)}`);
  return text;
}

/** Sends a signed request, re-signing each attempt so the date stays fresh. */
function signedRequest(
  what,
  { url, method, headers, body, service, region, credentials, timeoutMs },
) {
  const u = new URL(url);
  return withRetries(what, () =>
    request(url, {
      method,
      body,
      timeoutMs,
      headers: signRequest({
        method,
        path: u.pathname,
        headers: { ...headers, host: u.host },
        body,
        service,
        region,
        credentials,
        date: new Date(),
      }),
    }),
  );
}

/** Downloads s3://bucket/key to `dest` only if its sha256 is `expected`; never leaves a partial file. */
export async function fetchS3({ bucket, key, dest, sha256, mode, region, credentials }) {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new FetchError(
      `s3: bucket ${JSON.stringify(bucket)}: expected lower-case letters, digits and dashes`,
    );
  }
  const path = key.split("/").map(escapeUri).join("/");
  const endpoint = process.env.ET_FETCH_S3_ENDPOINT;
  const url = endpoint
    ? `${endpoint}/${bucket}/${path}`
    : `https://${bucket}.s3.${region}.amazonaws.com/${path}`;
  const what = `s3://${bucket}/${key}`;
  const res = await signedRequest(what, {
    url,
    method: "GET",
    headers: { "x-amz-content-sha256": sha256Hex("") },
    service: "s3",
    region,
    credentials,
    timeoutMs: 60_000,
  });
  if (res.statusCode !== 200) {
    const text = await readBody(res);
    const code = text.match(/<Code>([^<]*)<\/Code>/)?.[1] ?? "";
    const message = text.match(/<Message>([^<]*)<\/Message>/)?.[1] ?? oneLine(text);
    // Without s3:ListBucket (the role has none), S3 answers a missing key with 403 AccessDenied,
    // not 404; any other 403 (SignatureDoesNotMatch, a clock skew) says what it is by itself.
    const hint =
      code === "AccessDenied" ? " (the key may not exist: this role cannot list the bucket)" : "";
    throw new FetchError(
      `${what}: HTTP ${res.statusCode} ${code}${code ? ": " : ""}${message}${hint}`,
    );
  }
  const temp = join(dirname(dest), `.${process.pid}.et-fetch.partial`);
  const hash = createHash("sha256");
  try {
    await pipeline(
      res,
      async function* (chunks) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(temp, { mode }),
    );
    const actual = hash.digest("hex");
    if (actual !== sha256) {
      throw new FetchError(`${what}: sha256 is ${actual}, expected ${sha256}; refused`);
    }
    chmodSync(temp, mode);
    renameSync(temp, dest);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** GetSecretValue: the SecretString, or the value of `jsonKey` inside it. */
export async function fetchSecret({ secretId, jsonKey, region, credentials }) {
  const url =
    process.env.ET_FETCH_SECRETS_ENDPOINT || `https://secretsmanager.${region}.amazonaws.com`;
  const what = `secret ${secretId}`;
  const res = await signedRequest(what, {
    url: `${url}/`,
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "secretsmanager.GetSecretValue",
    },
    body: JSON.stringify({ SecretId: secretId }),
    service: "secretsmanager",
    region,
    credentials,
    timeoutMs: 10_000,
  });
  const text = await readBody(res);
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new FetchError(`${what}: HTTP ${res.statusCode}, not JSON: ${oneLine(text)}`);
  }
  if (res.statusCode !== 200) {
    const type = String(answer.__type ?? "")
      .split("#")
      .pop();
    throw new FetchError(
      `${what}: HTTP ${res.statusCode} ${type}: ${answer.message ?? answer.Message ?? ""}`,
    );
  }
  if (typeof answer.SecretString !== "string") throw new FetchError(`${what}: has no SecretString`);
  if (jsonKey === undefined) return answer.SecretString;
  let value;
  try {
    value = JSON.parse(answer.SecretString)[jsonKey];
  } catch {
    throw new FetchError(`${what}: --json-key ${jsonKey}: the secret is not JSON`);
  }
  if (typeof value !== "string" && typeof value !== "number") {
    throw new FetchError(`${what}: --json-key ${jsonKey}: no such string in the secret`);
  }
  return String(value);
}

/** Parses `<positional...> --name value ...`; throws FetchError on anything unexpected. */
export function parseArgs(argv) {
  const [command, ...rest] = argv;
  const positional = [];
  const options = {};
  const known = { s3: ["sha256", "mode", "region"], secret: ["json-key", "out", "mode", "region"] };
  if (!Object.hasOwn(known, command ?? "")) throw new FetchError(USAGE);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith("--")) positional.push(arg);
    else if (known[command].includes(arg.slice(2)) && rest[i + 1] !== undefined)
      options[arg.slice(2)] = rest[++i];
    else throw new FetchError(`${arg}: unknown option or missing value\n${USAGE}`);
  }
  const wanted = command === "s3" ? 3 : 1;
  if (positional.length !== wanted) throw new FetchError(USAGE);
  if (command === "s3" && !/^[0-9a-f]{64}$/.test(options.sha256 ?? "")) {
    throw new FetchError("s3: --sha256 <64 lower-case hex digits> is required");
  }
  if (options.mode !== undefined && !/^0?[0-7]{3}$/.test(options.mode)) {
    throw new FetchError(`--mode ${options.mode}: expected an octal mode such as 0600`);
  }
  if (options.mode !== undefined && command === "secret" && options.out === undefined) {
    throw new FetchError("secret: --mode needs --out");
  }
  return { command, positional, options };
}

export async function main(argv) {
  const { command, positional, options } = parseArgs(argv);
  const { credentials, region: imdsRegion } = await instanceCredentials();
  const region = options.region ?? (await imdsRegion());
  if (command === "s3") {
    const [bucket, key, dest] = positional;
    const mode = Number.parseInt(options.mode ?? "0644", 8);
    await fetchS3({ bucket, key, dest, sha256: options.sha256, mode, region, credentials });
    return;
  }
  const value = await fetchSecret({
    secretId: positional[0],
    jsonKey: options["json-key"],
    region,
    credentials,
  });
  if (options.out === undefined) {
    process.stdout.write(value);
    return;
  }
  const mode = Number.parseInt(options.mode ?? "0600", 8);
  const temp = join(dirname(options.out), `.${process.pid}.et-fetch.partial`);
  try {
    writeFileSync(temp, value, { mode, flag: "wx" });
    chmodSync(temp, mode);
    renameSync(temp, options.out);
  } finally {
    rmSync(temp, { force: true });
  }
}

function invokedDirectly() {
  try {
    return realpathSync(process.argv[1] ?? "") === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).catch((err) => {
    // One line, whatever failed: boot logs and the service's logs keep it whole.
    process.stderr.write(
      `et-fetch: ${oneLine(err instanceof Error ? err.message : String(err))}\n`,
    );
    process.exitCode = 1;
  });
}
