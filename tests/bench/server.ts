// Starts the production server (building first if needed) on a fresh data directory, for benchmarks. It
// listens on a free port (or BENCH_PORT when set), and before anything is measured the bench checks that the
// process listening there is the one it started: a bench that measured whatever else answered on a taken port
// would report someone else's figures.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export type BenchServer = { baseUrl: string; stop: () => Promise<void> };

/** BENCH_PORT when set; otherwise a free port is picked. */
export const benchPortFromEnv = (): number | undefined =>
  process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined;

export async function startBenchServer(
  port: number | undefined,
  extraEnv: Record<string, string> = {},
): Promise<BenchServer> {
  const chosen = port ?? (await freePort());
  const taken = listenersOn(chosen);
  if (taken.length > 0) {
    throw new Error(`port ${chosen} is already taken (pid ${taken.join(", ")}): choose another BENCH_PORT`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "securevault-bench-"));
  const child: ChildProcess = spawn(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "lib/server/start.ts"],
    {
      env: {
        ...process.env,
        PORT: String(chosen),
        DATA_DIR: dataDir,
        SANDBOX_SMTP_PORT: "0",
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
        // The undo window is a deliberate wait, not work: benchmarks measure with it off.
        UNDO_SEND_SECONDS: "0",
        // 50 clients from one user for 10 s measure the API, not the abuse limits.
        SEND_RATE_LIMIT_PER_MIN: "100000000",
        SEND_SENDER_RATE_LIMIT_PER_MIN: "100000000",
        SEND_DAILY_QUOTA: "100000000",
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "inherit"],
      // Its own process group (tsx runs the server in a child of its own): the ownership check and stop use it.
      detached: true,
    },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      process.kill(-child.pid!, "SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("server did not start within 5 minutes");
    await new Promise((r) => setTimeout(r, 500));
  }
  const owners = listenersOn(chosen);
  if (owners.length === 0 || owners.some((pid) => processGroupOf(pid) !== child.pid)) {
    await stop();
    throw new Error(
      `the server answering on port ${chosen} is not the one this bench started (listening: pid ${owners.join(", ") || "none"})`,
    );
  }
  return { baseUrl, stop };
}

/** A port that nothing listens on now (the kernel's choice for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The processes with a TCP socket listening on `port` (any address), from /proc (Linux). */
export function listenersOn(port: number): number[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A") inodes.add(fields[9]!);
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    const holds = fds.some((fd) => {
      try {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith("socket:[") && inodes.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
    if (holds) pids.push(Number(pid));
  }
  return pids;
}

/** The process group a process belongs to (the fifth field of /proc/PID/stat). */
export function processGroupOf(pid: number): number {
  const afterName = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!;
  return Number(afterName.split(" ")[2]);
}

/** Signs up and signs in through the real endpoints; returns the session cookie header. */
export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const signup = await fetch(`${baseUrl}/api/account`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (signup.status !== 201) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ email, password, csrfToken, json: "true" }),
    redirect: "manual",
  });
  const session = res.headers.getSetCookie().find((c) => c.includes("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(";")[0]!;
}
