// The local services the test suites use, and a quick check that one answers.
import net from "node:net";

/** The PostgreSQL server (an admin connection) the PostgreSQL test runs make their databases on. */
export const testPostgresUrl =
  process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const testRedisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Runs one statement (CREATE / DROP DATABASE) on the test PostgreSQL server's admin connection. */
export async function postgresAdmin(sql: string): Promise<void> {
  // Loaded on use: vitest's config imports this file, and most runs never need a PostgreSQL client.
  const { default: pg } = await import("pg");
  const client = new pg.Client(testPostgresUrl);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** True when something accepts a TCP connection at the URL's host and port (or the default port given). */
export function answers(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort), timeout: 1500 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}
