// A TCP proxy in front of PostgreSQL that a test controls: it can stop (every connection cut,
// new ones refused, as after `pg_ctl stop -m immediate`), start again on the same port, and
// cut a connection right after forwarding a COMMIT, before the server's answer comes back.
import { once } from "node:events";
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Cuts every connection and refuses new ones. */
  down(): Promise<void>;
  /** Accepts connections again, on the same port. */
  up(): Promise<void>;
  /**
   * The next `count` COMMITs are forwarded, and then their connection is cut before the answer
   * reaches the client: the change is stored, but the client cannot know it.
   */
  dropAfterCommit(count: number): void;
  /** How many connections were cut after a COMMIT. */
  readonly commitsDropped: number;
  close(): Promise<void>;
}

// A simple-protocol Query message whose text is COMMIT ('Q', length, "commit\0"), as
// node-postgres sends to end a transaction.
const COMMITS = ["commit", "COMMIT"].map((text) =>
  Buffer.concat([Buffer.from([0x51, 0, 0, 0, 4 + text.length + 1]), Buffer.from(`${text}\0`)]),
);

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let dropsLeft = 0;
  let dropped = 0;
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(target.port, target.host);
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      let cut = false;
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on("data", (chunk) => {
        upstream.write(chunk);
        if (dropsLeft > 0 && COMMITS.some((m) => chunk.includes(m))) {
          dropsLeft--;
          dropped++;
          cut = true;
          client.destroy();
          // Give PostgreSQL the moment it needs to commit before it sees the connection end.
          setTimeout(end, 200);
        }
      });
      upstream.on("data", (chunk) => {
        if (!cut) client.write(chunk);
      });
      client.on("error", end);
      upstream.on("error", end);
      client.on("close", () => (cut ? undefined : end()));
      upstream.on("close", end);
    });
    server.listen(port, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as { port: number }).port;
  };
  await listen();

  const down = async () => {
    const closed = server ? new Promise((r) => server?.close(r)) : Promise.resolve();
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    pairs.clear();
    await closed;
    server = undefined;
  };
  return {
    get port() {
      return port;
    },
    get commitsDropped() {
      return dropped;
    },
    down,
    async up() {
      if (!server) await listen();
    },
    dropAfterCommit(count) {
      dropsLeft = count;
    },
    close: down,
  };
}
