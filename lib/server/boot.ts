import "server-only";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { closeAllPools } from "@/lib/mail/transport";
import { describeMetricsAccess } from "@/lib/observability/metrics-endpoint";
import { startPushNotifications } from "@/lib/push/outcome-notifications";
import { startSandboxSmtp, type RunningSandbox } from "@/lib/sandbox/smtp-server";

type Services = { sandbox?: RunningSandbox; worker?: DeliveryWorker };
const g = globalThis as unknown as { securevaultServices?: Promise<Services> };

/** Starts the in-process services (sandbox mailbox, delivery worker) once per server process. */
export function bootServices(): Promise<Services> {
  return (g.securevaultServices ??= start());
}

async function start(): Promise<Services> {
  const services: Services = {};
  log.info(describeMetricsAccess("/api/metrics"));
  if (env.SANDBOX_SMTP_ENABLED) {
    services.sandbox = await startSandboxSmtp({ host: env.SANDBOX_SMTP_HOST, port: env.SANDBOX_SMTP_PORT });
  }
  if (env.DELIVERY_WORKER_ENABLED) {
    services.worker = startDeliveryWorker({
      pollMs: env.DELIVERY_POLL_MS,
      concurrency: env.DELIVERY_MAX_IN_FLIGHT,
      leaseMs: env.DELIVERY_LEASE_MS,
    });
    log.info({ maxInFlight: env.DELIVERY_MAX_IN_FLIGHT }, "delivery worker started");
    // Outcomes are announced in the process that delivers: notify from here.
    startPushNotifications();
  }
  const shutdown = async () => {
    await services.worker?.stop();
    closeAllPools();
    await services.sandbox?.close();
  };
  process.once("SIGTERM", () => void shutdown().finally(() => process.exit(0)));
  process.once("SIGINT", () => void shutdown().finally(() => process.exit(0)));
  return services;
}
