/**
 * A problem the operator can fix, told in one line (what is missing and how to get it). The CLI
 * prints only the message, no stack trace.
 */
export class OperatorError extends Error {
  /** Default 2: the command could not even start its work. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = "OperatorError";
    this.exitCode = exitCode;
  }
}

/** 2 when something the command needs is missing (setup, credentials), 1 for any other failure. */
export function exitCodeFor(err: unknown): number {
  if (err instanceof OperatorError) return err.exitCode;
  return describeError(err).startsWith("no AWS ") ? 2 : 1;
}

const NO_CREDENTIALS = "no AWS credentials: run aws configure or set AWS_PROFILE";
const EXPIRED = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "TokenRefreshRequired",
]);
const REJECTED = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
]);
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"]);

const firstLine = (text: string) => text.split("\n")[0]?.trim() ?? "";

/** Turns any error (SDK, network, ours) into the one line the operator reads. */
export function describeError(err: unknown): string {
  if (err instanceof OperatorError) return err.message;
  const { name = "", message = String(err) } = (err ?? {}) as { name?: string; message?: string };
  if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
    return NO_CREDENTIALS;
  }
  if (EXPIRED.has(name)) {
    return `AWS credentials expired (${name}): sign in again (aws sso login) or refresh AWS_PROFILE`;
  }
  if (REJECTED.has(name)) {
    return `AWS rejected the credentials (${name}): check AWS_PROFILE or run aws configure`;
  }
  if (DENIED.has(name)) return `AWS denied the request: ${firstLine(message)}`;
  if (/region is missing/i.test(message)) {
    return "no AWS region: set AWS_REGION, or pass --stack so aws:region is read from Pulumi.<stack>.yaml";
  }
  const prefix = name && name !== "Error" ? `${name}: ` : "";
  return `${prefix}${firstLine(message)}`;
}
