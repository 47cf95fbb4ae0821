// npm run worker — the delivery worker on its own, without the web server (run the web process with
// DELIVERY_WORKER_ENABLED=false). Stops on SIGTERM/SIGINT after the messages in flight are settled; a worker
// killed outright leaves its claims to expire (DELIVERY_LEASE_MS) and be picked up again.
import "@/lib/server/load-dotenv";
import { startDeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { closeAllPools } from "@/lib/mail/transport";
import { startWorkerStatusServer } from "@/lib/observability/worker-status-server";
import { startPushNotifications } from "@/lib/push/outcome-notifications";

// Outcomes are announced in the process that delivers: this one sends the push notifications.
startPushNotifications();
const worker = startDeliveryWorker({
  pollMs: env.DELIVERY_POLL_MS,
  concurrency: env.DELIVERY_MAX_IN_FLIGHT,
  leaseMs: env.DELIVERY_LEASE_MS,
});
log.info({ maxInFlight: env.DELIVERY_MAX_IN_FLIGHT, pid: process.pid }, "delivery worker started");
const statusServer = env.WORKER_METRICS_PORT ? startWorkerStatusServer(env.WORKER_METRICS_PORT) : null;

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "delivery worker stopping");
    statusServer?.close();
    void worker.stop().finally(() => {
      closeAllPools();
      process.exit(0);
    });
  });
}
