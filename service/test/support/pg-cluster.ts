import { execFile, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * A throwaway PostgreSQL cluster that speaks only TLS, with a server certificate for `localhost`
 * and 127.0.0.1 signed by a CA made for the test, and SCRAM passwords. Needs the PostgreSQL
 * server binaries and openssl; as root the server runs as the `postgres` user.
 */
export interface TlsCluster {
  port: number;
  /** The CA that signed the server certificate (PEM file). */
  caFile: string;
  /** A CA that signed nothing this server presents (PEM file). */
  otherCaFile: string;
  /** Another loopback address the server listens on, which its certificate does not name. */
  aliasHost: string | undefined;
  /** Runs SQL as the superuser, over verified TLS. */
  admin(text: string): Promise<pg.QueryResult>;
  /** `'value'` quoted for SQL, for statements that take no parameters (ALTER ROLE). */
  literal(value: string): string;
  /** Fast shutdown, then the folder is deleted. */
  stop(): Promise<void>;
}

const COMMAND_TIMEOUT_MS = 30_000;

let binDir: string | undefined;

/** Undefined when a cluster can be started here; otherwise what is missing. */
export function tlsClusterUnavailable(): string | undefined {
  binDir = findBinDir();
  if (!binDir) return "PostgreSQL server binaries (initdb, pg_ctl) not found";
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore", timeout: 5_000 });
  } catch {
    return "openssl not found";
  }
  if (process.getuid?.() === 0) {
    try {
      execFileSync("id", ["-u", "postgres"], { stdio: "ignore", timeout: 5_000 });
    } catch {
      return "running as root and there is no postgres user to run the server as";
    }
  }
  return undefined;
}

/** Skips with a message on a laptop without the tools; under CI=true their absence fails. */
export function requireTlsCluster(): boolean {
  const why = tlsClusterUnavailable();
  if (!why) return true;
  if (process.env.CI) throw new Error(`${why}; CI requires it`);
  console.warn(`skipping the TLS PostgreSQL suite: ${why}`);
  return false;
}

function findBinDir(): string | undefined {
  const candidates = [process.env.PG_BINDIR];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // No pg_config on PATH: look where Debian and Ubuntu put the server.
  }
  if (existsSync("/usr/lib/postgresql")) {
    const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`));
  }
  return candidates.find(
    (dir) => dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")),
  );
}

/** Starts the cluster with one login role owning one database. */
export async function startTlsCluster(options: {
  role: string;
  password: string;
  database: string;
}): Promise<TlsCluster> {
  const bin = binDir ?? findBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries not found");
  const dir = mkdtempSync(join(tmpdir(), "et-pg-tls-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const asRoot = process.getuid?.() === 0;
  // initdb and pg_ctl refuse to run as root.
  const asServer = (program: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", program, ...args]) : run(program, args);
  let started = false;
  try {
    await makeCertificates(dir);
    const superPassword = randomBytes(16).toString("hex");
    writeFileSync(join(dir, "pwfile"), `${superPassword}\n`, { mode: 0o600 });
    if (asRoot) await run("chown", ["-R", "postgres:", dir]);
    await asServer(join(bin, "initdb"), [
      ...["-D", data, "-U", "postgres", "--pwfile", join(dir, "pwfile")],
      ...["--auth", "scram-sha-256", "--encoding", "UTF8", "--no-locale", "--no-sync"],
    ]);

    const port = await freePort("127.0.0.1");
    const aliasHost = (await canListen("127.0.0.2")) ? "127.0.0.2" : undefined;
    const settings = {
      listen_addresses: ["127.0.0.1", aliasHost].filter(Boolean).join(","),
      port,
      unix_socket_directories: dir,
      ssl: "on",
      ssl_cert_file: join(dir, "server.crt"),
      ssl_key_file: join(dir, "server.key"),
      password_encryption: "scram-sha-256",
      max_connections: 40,
      fsync: "off",
    };
    const conf = Object.entries(settings).map(([k, v]) => `${k} = '${v}'`);
    writeFileSync(join(data, "postgresql.auto.conf"), `${conf.join("\n")}\n`);
    // TLS only, from the loopback address only; nothing admits a plaintext session.
    writeFileSync(join(data, "pg_hba.conf"), "hostssl all all 127.0.0.1/32 scram-sha-256\n");
    if (asRoot) await run("chown", ["postgres:", join(data, "postgresql.auto.conf")]);
    if (asRoot) await run("chown", ["postgres:", join(data, "pg_hba.conf")]);
    try {
      await asServer(join(bin, "pg_ctl"), ["-D", data, "-l", log, "-w", "-t", "20", "start"]);
    } catch (err) {
      const tail = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
      throw new Error(`${(err as Error).message}\n${tail}`);
    }
    started = true;

    const caFile = join(dir, "ca.crt");
    const admin = new pg.Client({
      host: "127.0.0.1",
      port,
      user: "postgres",
      password: superPassword,
      database: "postgres",
      connectionTimeoutMillis: 5_000,
      ssl: { ca: readFileSync(caFile, "utf8"), rejectUnauthorized: true },
    });
    await admin.connect();
    const literal = (value: string) => admin.escapeLiteral(value);
    const ident = (name: string) => admin.escapeIdentifier(name);
    await admin.query(
      `create role ${ident(options.role)} login password ${literal(options.password)}`,
    );
    await admin.query(`create database ${ident(options.database)} owner ${ident(options.role)}`);

    return {
      port,
      caFile,
      otherCaFile: join(dir, "other-ca.crt"),
      aliasHost,
      admin: (text) => admin.query(text),
      literal,
      async stop() {
        await admin.end().catch(() => {});
        await asServer(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "10", "stop"]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (started) {
      await asServer(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid
`;

/** ca.crt signs server.crt (localhost, 127.0.0.1); other-ca.crt is an unrelated CA. */
async function makeCertificates(dir: string): Promise<void> {
  const file = (name: string) => join(dir, name);
  writeFileSync(file("openssl.cnf"), OPENSSL_CONFIG);
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  for (const [name, subject] of [
    ["ca", "/CN=expense-tracker test CA"],
    ["other-ca", "/CN=expense-tracker unrelated CA"],
  ] as const) {
    await run("openssl", [
      ...["req", "-x509", "-config", file("openssl.cnf"), "-extensions", "ca", ...ecKey],
      ...["-keyout", file(`${name}.key`), "-out", file(`${name}.crt`), "-days", "2"],
      ...["-subj", subject],
    ]);
  }
  await run("openssl", [
    ...["req", "-new", "-config", file("openssl.cnf"), ...ecKey],
    ...["-keyout", file("server.key"), "-out", file("server.csr"), "-subj", "/CN=localhost"],
  ]);
  await run("openssl", [
    ...["x509", "-req", "-in", file("server.csr"), "-CA", file("ca.crt")],
    ...["-CAkey", file("ca.key"), "-set_serial", `0x${randomBytes(8).toString("hex")}`],
    ...["-days", "2", "-extfile", file("openssl.cnf"), "-extensions", "server"],
    ...["-out", file("server.crt")],
  ]);
  // PostgreSQL refuses a key that others may read.
  chmodSync(file("server.key"), 0o600);
}

function run(program: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: COMMAND_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${program} ${args[0] ?? ""} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Linux answers on all of 127/8; other systems may have 127.0.0.1 alone. */
function canListen(host: string): Promise<boolean> {
  return freePort(host).then(
    () => true,
    () => false,
  );
}
