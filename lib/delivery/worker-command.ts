// How a standalone delivery worker process is started — `npm run worker`, the container image, Kubernetes, and
// the tests and benchmarks that run real worker processes — so they all run the same thing: one node process
// with tsx's loader (no wrapper process that a signal could miss, or a SIGKILL leave behind) and a heap sized
// for what the worker holds at once (see workerHeapNeededMb).

/** The old-generation heap of a standalone worker, in MB. */
export const WORKER_HEAP_MB = 128;

/**
 * The young generation's semi-space, in MB (V8's default is 16). A worker makes garbage fast and keeps little
 * of it; half the default keeps its peak resident memory 15-30 MB lower during a drain or a mail merge, at the
 * same speed (bench:delivery, bench:merge).
 */
export const WORKER_SEMI_SPACE_MB = 8;

export const workerNodeArgs: readonly string[] = [
  `--max-old-space-size=${WORKER_HEAP_MB}`,
  `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`,
  "--import",
  "tsx",
  "--conditions=react-server",
  "lib/delivery/worker-main.ts",
];

/**
 * The heap (V8's whole heap limit, MB) a worker needs for its in-flight budget of message bodies: its own
 * modules and buffers, plus each body held several times over while it is sent — the stored HTML and plain
 * text, the MIME encodings made from them, the row that records the outcome — at two bytes a character for
 * most non-Latin scripts. Measured with bodies of two-byte characters (tests/integration/worker-memory.test.ts):
 * a budget of 2 million characters fits the standard heap every time, 4 million not always (under load, the
 * copies made while a row is read and parsed do not all die young).
 */
export function workerHeapNeededMb(maxInFlightMb: number): number {
  return 48 + maxInFlightMb * 40;
}
