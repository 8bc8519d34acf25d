// Calls to moto_server the AWS SDK clients of this project do not cover (IAM, STS, S3), signed
// with SigV4 as AWS would require, and the switch that makes moto check signatures and policies.
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Any key does before `enableAuth`; moto's own root account afterwards. */
export const SETUP_CREDENTIALS: Credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
export const MOTO_ACCOUNT = "123456789012";

/** A signed request; returns the status and body text. */
export async function motoRequest(
  endpoint: string,
  r: {
    service: string;
    method?: string;
    path?: string;
    body?: string;
    headers?: Record<string, string>;
    credentials?: Credentials;
    region?: string;
  },
): Promise<{ status: number; text: string }> {
  const url = new URL(r.path ?? "/", endpoint);
  const signer = new SignatureV4({
    credentials: r.credentials ?? SETUP_CREDENTIALS,
    region: r.region ?? "us-east-1",
    service: r.service,
    sha256: Sha256,
    uriEscapePath: r.service !== "s3",
  });
  const signed = await signer.sign({
    method: r.method ?? "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: {
      host: url.host,
      ...(r.service === "s3" ? { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } : {}),
      ...r.headers,
    },
    body: r.body,
  });
  const res = await fetch(url, {
    method: signed.method,
    headers: signed.headers as Record<string, string>,
    body: r.body,
  });
  return { status: res.status, text: await res.text() };
}

/** An IAM or STS Query API action; throws on an error answer. */
export async function query(
  endpoint: string,
  service: "iam" | "sts",
  params: Record<string, string>,
  credentials?: Credentials,
): Promise<string> {
  const version = service === "iam" ? "2010-05-08" : "2011-06-15";
  const res = await motoRequest(endpoint, {
    service,
    body: new URLSearchParams({ Version: version, ...params }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    ...(credentials ? { credentials } : {}),
  });
  if (res.status >= 300) throw new Error(`${service} ${params.Action}: ${res.status} ${res.text}`);
  return res.text;
}

const tag = (xml: string, name: string) =>
  xml.match(new RegExp(`<${name}>([^<]*)</${name}>`))?.[1] ?? "";

/** An IAM user with an inline policy, and its access key. */
export async function createUser(
  endpoint: string,
  name: string,
  policy: object,
): Promise<Credentials> {
  await query(endpoint, "iam", { Action: "CreateUser", UserName: name });
  await query(endpoint, "iam", {
    Action: "PutUserPolicy",
    UserName: name,
    PolicyName: `${name}-policy`,
    PolicyDocument: JSON.stringify(policy),
  });
  const key = await query(endpoint, "iam", { Action: "CreateAccessKey", UserName: name });
  return { accessKeyId: tag(key, "AccessKeyId"), secretAccessKey: tag(key, "SecretAccessKey") };
}

/** A role with an inline policy, assumed: temporary credentials as an instance profile gives. */
export async function assumeRoleWithPolicy(
  endpoint: string,
  name: string,
  policy: string,
): Promise<Required<Credentials>> {
  const trust = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  };
  await query(endpoint, "iam", {
    Action: "CreateRole",
    RoleName: name,
    AssumeRolePolicyDocument: JSON.stringify(trust),
  });
  await query(endpoint, "iam", {
    Action: "PutRolePolicy",
    RoleName: name,
    PolicyName: `${name}-policy`,
    PolicyDocument: policy,
  });
  const assumed = await query(endpoint, "sts", {
    Action: "AssumeRole",
    RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/${name}`,
    RoleSessionName: "i-0moto",
  });
  return {
    accessKeyId: tag(assumed, "AccessKeyId"),
    secretAccessKey: tag(assumed, "SecretAccessKey"),
    sessionToken: tag(assumed, "SessionToken"),
  };
}

/** From now on moto checks every request's signature and the caller's IAM policies. */
export async function enableAuth(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset-auth`, {
    method: "POST",
    // moto 5.2 reads the body as a bare number (not the JSON object older docs show).
    body: "0",
  });
  if (!res.ok) throw new Error(`reset-auth: ${res.status} ${await res.text()}`);
}
