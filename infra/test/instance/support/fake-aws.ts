// Local stand-ins for IMDSv2, S3 and Secrets Manager on 127.0.0.1. S3 and Secrets Manager check
// every request's SigV4 signature by recomputing it with @smithy/signature-v4 (the AWS SDK's
// signer) and answer the way AWS does: 403 SignatureDoesNotMatch, 404 NoSuchKey, 400 with a
// JSON `__type`, and 503 on demand, to exercise retries.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { SignatureV4 } from "@smithy/signature-v4";

export const REGION = "eu-west-1";
export const ROLE = "expense-tracker-instance";

export interface FakeAws {
  imdsUrl: string;
  s3Endpoint: string;
  secretsEndpoint: string;
  /** Objects by `bucket/key`. */
  objects: Map<string, Buffer>;
  /** SecretString by secret id. */
  secrets: Map<string, string>;
  /** Answers 503 to this many requests before serving, per server. */
  failures: { imds: number; s3: number; secrets: number };
  /** Every request to S3 and Secrets Manager, and whether its signature was right. */
  log: { service: string; path: string; signatureOk: boolean }[];
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    handler(req, res, Buffer.concat(chunks).toString("utf8"));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { server, url: `http://127.0.0.1:${address.port}` };
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

export async function startFakeAws(): Promise<FakeAws> {
  const credentials = {
    accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: randomBytes(60).toString("base64"),
  };
  const imdsToken = randomBytes(20).toString("base64url");
  const fake: Omit<FakeAws, "imdsUrl" | "s3Endpoint" | "secretsEndpoint" | "close"> = {
    objects: new Map(),
    secrets: new Map(),
    failures: { imds: 0, s3: 0, secrets: 0 },
    log: [],
    credentials,
  };

  /** Recomputes the signature with the AWS SDK's signer from the headers the request signed. */
  async function signatureOk(req: IncomingMessage, body: string, service: string) {
    const auth = req.headers.authorization ?? "";
    const m = AUTH.exec(auth);
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    if (!m || m[1] !== credentials.accessKeyId || m[3] !== REGION || m[4] !== service) return false;
    if (req.headers["x-amz-security-token"] !== credentials.sessionToken) return false;
    const signedNames = (m[5] ?? "").split(";");
    if (!["host", "x-amz-date", "x-amz-security-token"].every((h) => signedNames.includes(h))) {
      return false;
    }
    const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!d || amzDate.slice(0, 8) !== m[2]) return false;
    const signingDate = new Date(`${d[1]}-${d[2]}-${d[3]}T${d[4]}:${d[5]}:${d[6]}Z`);
    // AWS refuses requests more than 15 minutes off.
    if (Math.abs(Date.now() - signingDate.getTime()) > 15 * 60_000) return false;
    const headers = Object.fromEntries(signedNames.map((h) => [h, String(req.headers[h] ?? "")]));
    const url = new URL(req.url ?? "/", "http://placeholder");
    const signer = new SignatureV4({
      credentials,
      region: REGION,
      service,
      sha256: Sha256,
      uriEscapePath: service !== "s3",
      applyChecksum: false,
    });
    const expected = await signer.sign(
      {
        method: req.method ?? "GET",
        protocol: "http:",
        hostname: "127.0.0.1",
        path: url.pathname,
        query: {},
        headers,
        body: body === "" ? undefined : body,
      },
      { signingDate },
    );
    return expected.headers.authorization === auth;
  }

  const imds = await listen((req, res) => {
    if (fake.failures.imds > 0) {
      fake.failures.imds--;
      res.writeHead(503).end("busy");
      return;
    }
    if (req.method === "PUT" && req.url === "/latest/api/token") {
      if (!req.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
        res.writeHead(400).end("missing ttl");
        return;
      }
      res.writeHead(200).end(imdsToken);
      return;
    }
    // IMDSv2 only: without the session token, 401.
    if (req.headers["x-aws-ec2-metadata-token"] !== imdsToken) {
      res.writeHead(401).end("Unauthorized");
      return;
    }
    const base = "/latest/meta-data/iam/security-credentials/";
    if (req.url === base) res.writeHead(200).end(`${ROLE}\n`);
    else if (req.url === `${base}${ROLE}`) {
      res.writeHead(200).end(
        JSON.stringify({
          Code: "Success",
          Type: "AWS-HMAC",
          AccessKeyId: credentials.accessKeyId,
          SecretAccessKey: credentials.secretAccessKey,
          Token: credentials.sessionToken,
          Expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    } else if (req.url === "/latest/meta-data/placement/region") res.writeHead(200).end(REGION);
    else res.writeHead(404).end("Not Found");
  });

  const s3Error = (res: ServerResponse, status: number, code: string, message: string) =>
    res
      .writeHead(status, { "content-type": "application/xml" })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
      );

  const s3 = await listen(async (req, res, body) => {
    if (fake.failures.s3 > 0) {
      fake.failures.s3--;
      s3Error(res, 503, "SlowDown", "Please reduce your request rate.");
      return;
    }
    const ok = await signatureOk(req, body, "s3");
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).slice(1);
    fake.log.push({ service: "s3", path, signatureOk: ok });
    if (!ok || req.headers["x-amz-content-sha256"] === undefined) {
      s3Error(
        res,
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
      return;
    }
    const object = fake.objects.get(path);
    if (req.method !== "GET" || !object) {
      s3Error(res, 404, "NoSuchKey", "The specified key does not exist.");
      return;
    }
    res.writeHead(200, { "content-length": object.length }).end(object);
  });

  const secretsError = (res: ServerResponse, status: number, type: string, message: string) =>
    res
      .writeHead(status, { "content-type": "application/x-amz-json-1.1" })
      .end(JSON.stringify({ __type: type, message }));

  const secrets = await listen(async (req, res, body) => {
    if (fake.failures.secrets > 0) {
      fake.failures.secrets--;
      secretsError(res, 503, "ServiceUnavailable", "try again");
      return;
    }
    const ok = await signatureOk(req, body, "secretsmanager");
    fake.log.push({ service: "secretsmanager", path: req.url ?? "", signatureOk: ok });
    if (!ok) {
      secretsError(
        res,
        400,
        "InvalidSignatureException",
        "The request signature we calculated does not match.",
      );
      return;
    }
    if (
      req.method !== "POST" ||
      req.headers["x-amz-target"] !== "secretsmanager.GetSecretValue" ||
      req.headers["content-type"] !== "application/x-amz-json-1.1"
    ) {
      secretsError(res, 400, "UnknownOperationException", "");
      return;
    }
    const id = (JSON.parse(body) as { SecretId?: string }).SecretId ?? "";
    const value = fake.secrets.get(id);
    if (value === undefined) {
      secretsError(
        res,
        400,
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret.",
      );
      return;
    }
    res
      .writeHead(200, { "content-type": "application/x-amz-json-1.1" })
      .end(JSON.stringify({ ARN: id, Name: id, SecretString: value, VersionId: "v1" }));
  });

  const servers: Server[] = [imds.server, s3.server, secrets.server];
  return {
    ...fake,
    imdsUrl: imds.url,
    s3Endpoint: s3.url,
    secretsEndpoint: secrets.url,
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        server.close();
      }
    },
  };
}
