import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";
import { describe, expect, it } from "vitest";
import { escapeUri, sha256Hex, signRequest } from "../../instance/et-fetch.mjs";

const credentials = {
  accessKeyId: "ASIAEXAMPLEEXAMPLE12",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMSJHMEUCIQD+session+token=",
};
const date = new Date("2026-03-14T09:26:53.589Z");

/** The Authorization header @smithy/signature-v4 (the AWS SDK's signer) computes. */
async function smithyAuthorization(request: {
  method: string;
  hostname: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  service: string;
  region: string;
}): Promise<string | undefined> {
  const signer = new SignatureV4({
    credentials,
    region: request.region,
    service: request.service,
    sha256: Sha256,
    // S3 signs the path as sent; the SDK's S3 client turns this off the same way.
    uriEscapePath: request.service !== "s3",
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: "https:",
      hostname: request.hostname,
      path: request.path,
      query: {},
      headers: { host: request.hostname, ...request.headers },
      body: request.body,
    },
    { signingDate: date },
  );
  return signed.headers.authorization;
}

describe("et-fetch's SigV4 signature equals @smithy/signature-v4's", () => {
  it("for an S3 GET with the empty-payload hash", async () => {
    const hostname = "expense-tracker-artifacts.s3.eu-west-1.amazonaws.com";
    const path = `/${["releases", "v1 (final)", "expense-tracker*.mjs"].map(escapeUri).join("/")}`;
    const headers = { "x-amz-content-sha256": sha256Hex("") };
    const ours = signRequest({
      method: "GET",
      path,
      headers: { host: hostname, ...headers },
      service: "s3",
      region: "eu-west-1",
      credentials,
      date,
    });
    expect(path).toBe("/releases/v1%20%28final%29/expense-tracker%2A.mjs");
    expect(ours["x-amz-date"]).toBe("20260314T092653Z");
    expect(ours["x-amz-security-token"]).toBe(credentials.sessionToken);
    expect(ours.authorization).toBe(
      await smithyAuthorization({
        method: "GET",
        hostname,
        path,
        headers,
        service: "s3",
        region: "eu-west-1",
      }),
    );
  });

  it("for an S3 GET with UNSIGNED-PAYLOAD", async () => {
    const hostname = "bucket.s3.us-east-1.amazonaws.com";
    const headers = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    const ours = signRequest({
      method: "GET",
      path: "/a/b.mjs",
      headers: { Host: hostname, ...headers },
      service: "s3",
      region: "us-east-1",
      credentials,
      date,
    });
    expect(ours.authorization).toBe(
      await smithyAuthorization({
        method: "GET",
        hostname,
        path: "/a/b.mjs",
        headers,
        service: "s3",
        region: "us-east-1",
      }),
    );
  });

  it("for a Secrets Manager GetSecretValue POST with a JSON body and a session token", async () => {
    const hostname = "secretsmanager.eu-west-1.amazonaws.com";
    const body = JSON.stringify({
      SecretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf",
    });
    const headers = {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "secretsmanager.GetSecretValue",
    };
    const ours = signRequest({
      method: "POST",
      path: "/",
      headers: { host: hostname, ...headers },
      body,
      service: "secretsmanager",
      region: "eu-west-1",
      credentials,
      date,
    });
    expect(ours.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE12\/20260314\/eu-west-1\/secretsmanager\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(ours.authorization).toBe(
      await smithyAuthorization({
        method: "POST",
        hostname,
        path: "/",
        headers,
        body,
        service: "secretsmanager",
        region: "eu-west-1",
      }),
    );
  });

  it("differs when anything signed changes", () => {
    const base = {
      method: "POST",
      path: "/",
      headers: { host: "secretsmanager.eu-west-1.amazonaws.com" },
      body: "{}",
      service: "secretsmanager",
      region: "eu-west-1",
      credentials,
      date,
    };
    const signature = (over: object) => signRequest({ ...base, ...over }).authorization;
    const reference = signature({});
    expect(signature({ body: "{ }" })).not.toBe(reference);
    expect(signature({ region: "eu-west-2" })).not.toBe(reference);
    expect(signature({ date: new Date(date.getTime() + 1000) })).not.toBe(reference);
    expect(signature({ credentials: { ...credentials, sessionToken: "other" } })).not.toBe(
      reference,
    );
  });
});
