// Types for et-fetch.mjs, which stays plain JavaScript because the instance runs it as is.

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** A refusal or failure with a one-line message; the CLI prints it and exits with 1. */
export class FetchError extends Error {}

export function sha256Hex(data: string | Uint8Array): string;

/** RFC 3986 percent-encoding, as SigV4 canonical paths use it. */
export function escapeUri(text: string): string;

export interface SignRequestInput {
  method: string;
  /** The path as sent (already percent-encoded), without the query. */
  path: string;
  /** Every header to sign, `host` included. */
  headers: Record<string, string>;
  /** Default "". Hashed unless `x-amz-content-sha256` is among the headers. */
  body?: string;
  service: string;
  region: string;
  credentials: AwsCredentials;
  date: Date;
}

/** The headers to send: the given ones plus x-amz-date, x-amz-security-token and authorization. */
export function signRequest(input: SignRequestInput): Record<string, string>;

export function instanceCredentials(): Promise<{
  credentials: AwsCredentials;
  region: () => Promise<string>;
}>;

export function fetchS3(input: {
  bucket: string;
  key: string;
  dest: string;
  sha256: string;
  mode: number;
  region: string;
  credentials: AwsCredentials;
}): Promise<void>;

export function fetchSecret(input: {
  secretId: string;
  jsonKey?: string | undefined;
  region: string;
  credentials: AwsCredentials;
}): Promise<string>;

export function parseArgs(argv: string[]): {
  command: "s3" | "secret";
  positional: string[];
  options: Record<string, string>;
};

/** The command line without the program name, e.g. `["secret", "arn:...", "--json-key", "password"]`. */
export function main(argv: string[]): Promise<void>;
