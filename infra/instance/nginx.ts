// The nginx site in front of the service, and the origin-secret rule it includes: CloudFront
// adds X-Origin-Verify to every request it sends, so anything reaching the instance without it
// came around CloudFront and is refused.
import {
  DEFAULT_BODY_BYTES,
  describeBytes,
  UPLOAD_BODY_TIMEOUT_SECONDS,
  UPLOAD_LIMITS,
} from "../../service/src/upload-limits.ts";
import { PATHS, SERVICE_PORT } from "./paths.ts";

/** Header CloudFront adds to origin requests; its value is the origin secret. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/** Largest request body nginx passes on: the service's own limit (1 MB), answered with 413. */
export const MAX_BODY = nginxSize(DEFAULT_BODY_BYTES);

/** A byte count in nginx's size syntax (`1m`, `20m`, `512k`). */
function nginxSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb}m` : `${Math.ceil(bytes / 1024)}k`;
}

/** The proxying of every location: the same upstream, headers and timeouts. */
const PROXY = `proxy_pass http://expense_tracker;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $expense_tracker_proto;
        proxy_set_header X-Forwarded-Host $host;
        # The origin secret stops here: the service never sees it, so it never logs it.
        proxy_set_header ${ORIGIN_VERIFY_HEADER} "";
        proxy_connect_timeout 5s;
        proxy_send_timeout 30s;
        proxy_read_timeout 30s;`;

/**
 * One exact location per upload route of the service (UPLOAD_LIMITS), with its own body size
 * and body timeout, and its own 413 page. nginx buffers the whole body before proxying it.
 */
function uploadLocations(limits: Readonly<Record<string, number>>): string {
  return Object.entries(limits)
    .map(([path, bytes], i) => {
      if (!/^\/[A-Za-z0-9_/-]+$/.test(path))
        throw new Error(`nginx site: upload path ${JSON.stringify(path)} is not a plain path`);
      return `
    # ${path}: bodies up to ${describeBytes(bytes)} (service/src/upload-limits.ts).
    location = ${path} {
        client_max_body_size ${nginxSize(bytes)};
        client_body_timeout ${UPLOAD_BODY_TIMEOUT_SECONDS}s;
        error_page 413 @too_large_upload_${i};
        ${PROXY}
    }

    location @too_large_upload_${i} {
        default_type text/html;
        return 413 '<!doctype html><title>Too large</title><p>That file is larger than ${describeBytes(bytes)}, the most this page accepts.</p>\\n';
    }
`;
    })
    .join("");
}

export interface NginxSiteOptions {
  /** `listen` addresses, each the default server. Default `["80", "[::]:80"]`. */
  listen?: readonly string[];
  /** Port of the service on 127.0.0.1. Default 3000 (SERVICE_PORT). */
  upstreamPort?: number;
  /** The origin-secret include. Default `/etc/nginx/expense-tracker/origin-verify.conf`. */
  originVerifyInclude?: string;
  /** Access log (JSON lines). Default `/var/log/nginx/expense-tracker.access.log`. */
  accessLog?: string;
  /** Routes with a larger body, path to bytes. Default the service's UPLOAD_LIMITS. */
  uploadLimits?: Readonly<Record<string, number>>;
}

/** The site file for `/etc/nginx/sites-available/`; it sits inside nginx's `http {}` block. */
export function renderNginxSite(options: NginxSiteOptions = {}): string {
  const listen = options.listen ?? ["80", "[::]:80"];
  const port = options.upstreamPort ?? SERVICE_PORT;
  const include = options.originVerifyInclude ?? PATHS.originVerifyInclude;
  const accessLog = options.accessLog ?? PATHS.accessLog;
  for (const value of [...listen, include, accessLog]) {
    if (!/^[A-Za-z0-9_.:/[\]-]+$/.test(value)) {
      throw new Error(`nginx site: ${JSON.stringify(value)} is not a plain address or path`);
    }
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`nginx site: upstreamPort=${port}: expected a port number`);
  }
  return `# Expense tracker behind CloudFront. Rendered by infra/instance/nginx.ts; do not edit here.

# CloudFront tells the scheme the viewer used in CloudFront-Forwarded-Proto; direct requests are http.
map $http_cloudfront_forwarded_proto $expense_tracker_proto {
    default http;
    https   https;
}

# One JSON object per request; status and timings feed the 5xx metrics.
log_format expense_tracker_json escape=json
    '{"source":"nginx","time":"$time_iso8601","remote_addr":"$remote_addr","forwarded_for":"$http_x_forwarded_for",'
    '"host":"$host","method":"$request_method","uri":"$request_uri","status":$status,'
    '"bytes_sent":$body_bytes_sent,"request_time":$request_time,'
    '"upstream_time":"$upstream_response_time","request_id":"$upstream_http_x_request_id",'
    '"user_agent":"$http_user_agent"}';

# Health checkers (Route 53's, from several places) ask /readyz about every two seconds: their
# successes would be most of the log. Failures are kept; the 5xx metric counts only 5xx lines.
map "$request_uri:$status" $expense_tracker_loggable {
    ~^/readyz:[23]  0;
    default         1;
}

upstream expense_tracker {
    server 127.0.0.1:${port};
    keepalive 16;
}

server {
${listen.map((l) => `    listen ${l} default_server;`).join("\n")}
    server_name _;
    server_tokens off;
    access_log ${accessLog} expense_tracker_json if=$expense_tracker_loggable;

    # Refuses (403) every request without CloudFront's origin secret.
    include ${include};

    client_max_body_size ${MAX_BODY};
    client_body_timeout 15s;
    client_header_timeout 15s;
    keepalive_timeout 65s;

    gzip on;
    gzip_vary on;
    gzip_proxied any;
    gzip_min_length 1024;
    gzip_types text/plain text/css text/csv application/javascript application/json image/svg+xml;

    error_page 413 @too_large;

    # Everything, /assets/ included, goes to the service; it sets Cache-Control itself.
    location / {
        ${PROXY}
    }
${uploadLocations(options.uploadLimits ?? UPLOAD_LIMITS)}
    location @too_large {
        default_type text/html;
        return 413 '<!doctype html><title>Too large</title><p>That request is larger than ${describeBytes(DEFAULT_BODY_BYTES)}, the most this site accepts.</p>\\n';
    }
}
`;
}

/** What the include holds until the secrets unit first writes it: nothing gets through. */
export function renderOriginVerifyPlaceholder(): string {
  return `# Replaced at service start by ${PATHS.originVerifyScript}. Until then, refuse everything.
return 403;
`;
}

/**
 * Shell script `expense-tracker-origin-verify <secret-file> <include-file>`: writes the include
 * that refuses requests whose X-Origin-Verify is not the secret. The value goes into nginx's
 * configuration, so only characters with no meaning there are accepted.
 */
export function renderOriginVerifyScript(): string {
  const variable = `$http_${ORIGIN_VERIFY_HEADER.toLowerCase().replaceAll("-", "_")}`;
  return `#!/bin/sh
# Usage: expense-tracker-origin-verify <secret-file> <include-file>
# Writes the nginx rule that refuses (403) requests without the CloudFront origin secret.
# Rendered by infra/instance/nginx.ts.
set -eu
if [ "$#" -ne 2 ]; then
    echo "usage: $0 <secret-file> <include-file>" >&2
    exit 2
fi
value=$(cat "$1")
case "$value" in
    *[!A-Za-z0-9._~+/=-]*)
        echo "$0: $1: the origin secret may hold only A-Z a-z 0-9 . _ ~ + / = -" >&2
        exit 1
        ;;
esac
if [ "\${#value}" -lt 16 ] || [ "\${#value}" -gt 256 ]; then
    echo "$0: $1: the origin secret must be 16 to 256 characters" >&2
    exit 1
fi
umask 077
printf '# Written by expense-tracker-origin-verify at service start.\\nif (${variable} != "%s") {\\n    return 403;\\n}\\n' "$value" >"$2.partial"
chmod 0640 "$2.partial"
mv -f "$2.partial" "$2"
`;
}
