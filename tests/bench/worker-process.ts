// A real delivery worker in a process of its own, for benchmarks: started as `npm run worker` starts it (so its
// speed, CPU and memory are its own, not the benchmark's or the sink's), and read from /proc while it runs.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { workerNodeArgs } from "@/lib/delivery/worker-command";

/**
 * Starts a worker on `dataDir` (polling every 50 ms) and waits until it runs. BENCH_WORKER_NODE_ARGS adds node
 * flags, for a profile (--cpu-prof) of the worker.
 */
export async function startWorkerProcess(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...workerNodeArgs.slice(0, -1),
      ...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      workerNodeArgs.at(-1)!,
    ],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        LOG_LEVEL: "info",
        DELIVERY_POLL_MS: "50",
        WORKER_METRICS_PORT: "0",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    child.once("exit", (code) => reject(new Error(`the worker exited with ${code} before it started`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes("delivery worker started")) resolve();
    });
  });
  // Its later lines are read and dropped (or kept in the file BENCH_WORKER_LOG names), so a full pipe never
  // blocks it.
  child.stdout!.removeAllListeners("data");
  if (process.env.BENCH_WORKER_LOG) child.stdout!.pipe(fs.createWriteStream(process.env.BENCH_WORKER_LOG));
  else child.stdout!.resume();
  child.removeAllListeners("exit");
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

const running = new Set<ChildProcess>();

/** Stops every worker still running at once (SIGKILL), for a benchmark that ends on an error. */
export function killWorkerProcesses(): void {
  for (const child of running) child.kill("SIGKILL");
}

/** Stops a worker as an orchestrator would (SIGTERM) and waits until it has exited. */
export async function stopWorkerProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** The process's resident memory now and at its peak (VmHWM), from /proc. */
export function procStatus(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]);
  return { rssMb: kb("VmRSS") / 1024, peakRssMb: kb("VmHWM") / 1024 };
}

/** User + system CPU time the process has used, from /proc (in clock ticks of 1/100 s). */
export function procCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
