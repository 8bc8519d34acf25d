// Routes that accept a body larger than the app's 1 MB: the service's body limit, the nginx site
// (one `location =` per entry) and the README are all drawn from this one map.

const MiB = 1024 * 1024;

/** Largest body of every other request, in bytes. */
export const DEFAULT_BODY_BYTES = 1 * MiB;

/** POST routes with a larger body, by exact path, in bytes. */
export const UPLOAD_LIMITS: Readonly<Record<string, number>> = {
  "/imports/upload": 20 * MiB,
  // A backup of 50 MB (backup/format.ts, MAX_UPLOAD_BYTES), with room for the form around it.
  "/settings/restore": 51 * MiB,
};

/**
 * How long nginx waits between two reads of an upload's body (client_body_timeout), in seconds.
 * Other requests get 15 s; a large file over a slow link may stall longer between packets.
 */
export const UPLOAD_BODY_TIMEOUT_SECONDS = 60;

/** The listed path a request is a POST to, with its own limit; undefined for every other. */
export function uploadPath(method: string, path: string): string | undefined {
  return method === "POST" && Object.hasOwn(UPLOAD_LIMITS, path) ? path : undefined;
}

/** "20 MB", "1 MB": a limit in the words of the messages that refuse a larger body. */
export function describeBytes(bytes: number): string {
  const mb = bytes / MiB;
  return Number.isInteger(mb) ? `${mb} MB` : `${Math.round(bytes / 1024)} KB`;
}
