import "server-only";
import { exitOnSignals, startDeliveryService, type DeliveryService } from "@/lib/delivery/service";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { closeAllPools } from "@/lib/mail/transport";
import { describeMetricsAccess } from "@/lib/observability/metrics-endpoint";
import { startSandboxSmtp, type RunningSandbox } from "@/lib/sandbox/smtp-server";
import { processSingleton } from "@/lib/server/singleton";

type Services = { sandbox?: RunningSandbox; delivery?: DeliveryService };

/** Starts the in-process services (sandbox mailbox, delivery worker) once per server process. */
export function bootServices(): Promise<Services> {
  return processSingleton("services", start);
}

async function start(): Promise<Services> {
  const services: Services = {};
  log.info(describeMetricsAccess("/api/metrics"));
  if (env.SANDBOX_SMTP_ENABLED) {
    services.sandbox = await startSandboxSmtp({ host: env.SANDBOX_SMTP_HOST, port: env.SANDBOX_SMTP_PORT });
  }
  if (env.DELIVERY_WORKER_ENABLED) services.delivery = startDeliveryService();
  exitOnSignals(async () => {
    if (services.delivery) await services.delivery.stop();
    // Test connection opens pools in a web process without a worker too.
    else closeAllPools();
    await services.sandbox?.close();
  });
  return services;
}
