import "server-only";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { closeAllPools } from "@/lib/mail/transport";
import { startPushNotifications } from "@/lib/push/outcome-notifications";
import { startWebhookSender, type WebhookSender } from "@/lib/webhooks/sender";
import { startOrphanSweeper } from "@/lib/attachments/orphan-sweeper";

// Delivery as a process runs it — the web server's (lib/server/boot.ts) or its own (npm run worker,
// lib/delivery/worker-main.ts): the worker, the push notifications and webhook events of its outcomes, and the way
// it stops.

export type DeliveryService = {
  worker: DeliveryWorker;
  webhooks: WebhookSender;
  /** Stops claiming, lets the messages in flight settle, then closes the senders' SMTP pools. */
  stop: () => Promise<void>;
};

export function startDeliveryService(): DeliveryService {
  // Outcomes are announced in the process that delivers: this one sends the push notifications.
  startPushNotifications();
  // Webhook events are written with the outcomes (lib/webhooks/outbox.ts); this process's loop sends them.
  const webhooks = startWebhookSender();
  const worker = startDeliveryWorker();
  const stopSweeper = startOrphanSweeper();
  log.info({ maxInFlight: env.DELIVERY_MAX_IN_FLIGHT, pid: process.pid }, "delivery worker started");
  return {
    worker,
    webhooks,
    async stop() {
      stopSweeper();
      await Promise.all([worker.stop(), webhooks.stop()]);
      closeAllPools();
    },
  };
}

/** Runs `shutdown` once on SIGTERM or SIGINT, then exits. */
export function exitOnSignals(shutdown: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      void shutdown(signal).finally(() => process.exit(0));
    });
  }
}
