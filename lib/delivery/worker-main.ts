// npm run worker — the delivery worker on its own, without the web server (run the web process with
// DELIVERY_WORKER_ENABLED=false). Stops on SIGTERM/SIGINT after the messages in flight are settled; a worker
// killed outright leaves its claims to expire (DELIVERY_LEASE_MS) and be picked up again.
import "@/lib/server/load-dotenv";
import v8 from "node:v8";
import { lastBeatAnywhere } from "@/lib/delivery/heartbeat";
import { exitOnSignals, startDeliveryService } from "@/lib/delivery/service";
import { workerHeapNeededMb } from "@/lib/delivery/worker-command";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { startWorkerStatusServer } from "@/lib/observability/worker-status-server";

// A budget of message bodies larger than this process's heap can hold would end in an out-of-memory crash on
// the first queue of large messages, and again after every restart: refuse to start instead, saying what to change.
const heapMb = Math.floor(v8.getHeapStatistics().heap_size_limit / 1048576);
const neededMb = workerHeapNeededMb(env.DELIVERY_MAX_IN_FLIGHT_MB);
if (heapMb < neededMb) {
  log.fatal(
    { heapMb, neededMb, maxInFlightMb: env.DELIVERY_MAX_IN_FLIGHT_MB },
    `DELIVERY_MAX_IN_FLIGHT_MB=${env.DELIVERY_MAX_IN_FLIGHT_MB} needs a heap of ${neededMb} MB and this process has ` +
      `${heapMb} MB: lower DELIVERY_MAX_IN_FLIGHT_MB or raise node's --max-old-space-size by the difference`,
  );
  process.exit(1);
}

// Prisma loads its query compiler on the first query (a few hundred ms): load it before the worker starts, so
// the first message after a quiet start does not wait for it. A start that fails here is logged and exits.
lastBeatAnywhere()
  .then(() => {
    const delivery = startDeliveryService();
    const statusServer = env.WORKER_METRICS_PORT ? startWorkerStatusServer(env.WORKER_METRICS_PORT) : null;
    exitOnSignals(async (signal) => {
      log.info({ signal }, "delivery worker stopping");
      statusServer?.close();
      await delivery.stop();
    });
  })
  .catch((error: unknown) => {
    log.fatal({ err: error }, "delivery worker could not reach its database");
    process.exit(1);
  });
