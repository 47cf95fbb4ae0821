import "server-only";
import { recordAuditEvent } from "@/lib/audit/events";
import { decryptSecret } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { CHAT_MIN_INTERVAL_MS, discordBody, slackBody } from "@/lib/webhooks/chat";
import type { WebhookEventPayload } from "@/lib/webhooks/events";
import {
  claimWork,
  MAX_ATTEMPTS,
  onWebhookWake,
  recordAttempt,
  recordDelivered,
  releaseClaims,
  RETRY_DELAYS_MS,
  type AttemptRecord,
  type ClaimedDelivery,
} from "@/lib/webhooks/queue";
import { webhookSecretContext } from "@/lib/webhooks/endpoints";
import { postWebhook, resolveWebhookAddress, type WebhookResponse } from "@/lib/webhooks/target";
import { signedHeaders } from "@/lib/webhooks/signing";

// The webhook sender: a loop in the delivery worker's process (lib/delivery/worker-main.ts, lib/server/boot.ts)
// that claims due deliveries from the queue (lib/webhooks/queue.ts) and POSTs them. Per endpoint, one request
// at a time in queue order, so a receiver sees events in the order they happened; endpoints in parallel, up to
// WEBHOOK_CONCURRENCY. Modes: IDLE (waiting for a wake-up or the poll), PASS (claim, send, record), STOPPING.

const CLAIM_BATCH = 500;
const GATHER_MS = 5;
/** Successful deliveries are stored in groups of this many (one transaction), not one by one. */
const RECORD_BATCH = 200;

const lastChatSend = new Map<string, number>();

export type WebhookSender = { stop: () => Promise<void> };

export function startWebhookSender({
  pollMs = env.WEBHOOK_POLL_MS,
}: { pollMs?: number } = {}): WebhookSender {
  let mode: "idle" | "pass" | "stopping" = "idle";
  let timer: NodeJS.Timeout | null = null;
  let wakeRequested = false;
  let running: Promise<void> = Promise.resolve();

  const schedule = (delayMs: number) => {
    if (mode === "stopping") return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  };
  const tick = () => {
    timer = null;
    if (mode !== "idle") {
      wakeRequested = true;
      return;
    }
    mode = "pass";
    wakeRequested = false;
    running = runWebhookPass()
      .catch((error) => {
        log.error({ err: error }, "webhook pass failed");
        return 0;
      })
      .then((claimed) => {
        if (mode === "stopping") return;
        mode = "idle";
        // A full batch means more are due: go on at once. Otherwise sleep until woken or the next poll.
        schedule(claimed >= CLAIM_BATCH || wakeRequested ? 0 : pollMs);
      });
  };
  const unsubscribe = onWebhookWake(() => {
    // A few milliseconds' grace: events settle in bursts, and one pass takes a burst together.
    if (mode === "idle") schedule(GATHER_MS);
    else wakeRequested = true;
  });
  schedule(0);
  return {
    async stop() {
      mode = "stopping";
      unsubscribe();
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/**
 * One pass: moves new events from the outbox to the queue, claims what is due at `now`, sends it, stores the
 * outcomes. Returns how many were claimed (or a full batch's worth when more events wait in the outbox).
 */
export async function runWebhookPass(now: Date = new Date()): Promise<number> {
  // Queued deliveries that are due, then new events from the outbox (lib/webhooks/queue.ts).
  const { deliveries: claimed, moreEvents } = await claimWork(now, CLAIM_BATCH);
  const more = moreEvents ? CLAIM_BATCH : 0;
  if (claimed.length === 0) return more;
  const byEndpoint = new Map<string, ClaimedDelivery[]>();
  for (const d of claimed) {
    const list = byEndpoint.get(d.endpoint.id);
    if (list) list.push(d);
    else byEndpoint.set(d.endpoint.id, [d]);
  }
  const queues = [...byEndpoint.values()];
  const startedPerf = performance.now();
  const workers = Array.from({ length: Math.min(env.WEBHOOK_CONCURRENCY, queues.length) }, async () => {
    for (let queue = queues.shift(); queue; queue = queues.shift())
      await sendEndpointQueue(queue, now, startedPerf);
  });
  await Promise.all(workers);
  return Math.max(claimed.length, more);
}

async function sendEndpointQueue(
  deliveries: ClaimedDelivery[],
  passStarted: Date,
  startedPerf: number,
): Promise<void> {
  const delivered: AttemptRecord[] = [];
  // Successes are stored while the next requests go out; a batch that cannot be stored stays claimed (and is
  // sent again after the lease: at least once). The pass waits for them all before it ends.
  let recording: Promise<void> = Promise.resolve();
  const recordInBackground = (batch: AttemptRecord[]) => {
    recording = recording.then(() => recordDelivered(batch));
    recording.catch(() => undefined);
  };
  const target = await targetOf(deliveries[0]!.endpoint);
  for (let i = 0; i < deliveries.length; i++) {
    const delivery = deliveries[i]!;
    const kind = delivery.endpoint.kind;
    if (kind === "slack" || kind === "discord") {
      // Chat services allow about one message a second per webhook: the rest wait for a later pass.
      const last = lastChatSend.get(delivery.endpoint.id) ?? 0;
      if (Date.now() - last < CHAT_MIN_INTERVAL_MS[kind]) {
        await releaseClaims(deliveries.slice(i).map((d) => d.id));
        break;
      }
      lastChatSend.set(delivery.endpoint.id, Date.now());
    }
    const response = await send(delivery, target);
    // The pass's clock (a test's, or now) moved on by the real time spent since the pass began.
    const at = new Date(passStarted.getTime() + (performance.now() - startedPerf));
    const record = judge(delivery, response, at);
    if (record.verdict.kind === "delivered") {
      delivered.push(record);
      if (delivered.length >= RECORD_BATCH) recordInBackground(delivered.splice(0));
      continue;
    }
    await recordAttempt(record);
    if (record.disableEndpoint) {
      await recordAuditEvent(
        delivery.endpoint.userId,
        "webhook_disabled",
        { ip: null, userAgent: null },
        record.disableEndpoint,
      );
      log.warn(
        { endpointId: delivery.endpoint.id, reason: record.disableEndpoint },
        "webhook endpoint disabled",
      );
    }
    // A receiver that is failing is not sent the rest of this batch now: they stay queued, in order, for the
    // next pass, instead of each waiting out a timeout while the claim's lease runs down.
    await releaseClaims(deliveries.slice(i + 1).map((d) => d.id));
    break;
  }
  recordInBackground(delivered);
  await recording;
}

/** What every request of one endpoint in a pass shares: its URL, checked address and secrets (worked out once). */
type Target = { url: URL; checkedAddress: string | undefined; secrets: string[] };

async function targetOf(endpoint: ClaimedDelivery["endpoint"]): Promise<Target> {
  const url = new URL(endpoint.url);
  // An address that fails the check is left out: each request then checks again and records why it failed.
  const checkedAddress = await resolveWebhookAddress(url).catch(() => undefined);
  if (endpoint.kind === "slack" || endpoint.kind === "discord") return { url, checkedAddress, secrets: [] };
  const secrets = [decryptSecret(endpoint.secretCipher, webhookSecretContext(endpoint.id))];
  if (
    endpoint.previousSecretCipher &&
    endpoint.previousSecretUntil &&
    endpoint.previousSecretUntil > new Date()
  ) {
    secrets.push(decryptSecret(endpoint.previousSecretCipher, webhookSecretContext(endpoint.id)));
  }
  return { url, checkedAddress, secrets };
}

function send(delivery: ClaimedDelivery, target: Target): Promise<WebhookResponse> {
  const { endpoint } = delivery;
  const options = { checkedAddress: target.checkedAddress };
  if (endpoint.kind === "slack" || endpoint.kind === "discord") {
    const payload = JSON.parse(delivery.payload) as WebhookEventPayload;
    return postWebhook(
      target.url,
      {},
      endpoint.kind === "slack" ? slackBody(payload) : discordBody(payload),
      options,
    );
  }
  const timestamp = Math.floor(Date.now() / 1000);
  return postWebhook(
    target.url,
    signedHeaders(target.secrets, delivery.eventId, timestamp, delivery.payload),
    delivery.payload,
    options,
  );
}

/** What an answer means for the delivery and its endpoint. */
export function judge(delivery: ClaimedDelivery, response: WebhookResponse, at: Date): AttemptRecord {
  const base = { delivery, statusCode: response.status, durationMs: response.durationMs, at };
  const status = response.status;
  if (status !== null && status >= 200 && status < 300) {
    return { ...base, error: null, verdict: { kind: "delivered" }, disableEndpoint: null };
  }
  const error = response.error ?? `the receiver answered ${status}`;
  if (status === 410) {
    return {
      ...base,
      error,
      verdict: { kind: "failed" },
      disableEndpoint: "The receiver answered 410 Gone: it asked not to be sent events any more.",
    };
  }
  const attempts = delivery.attempts + 1;
  if (attempts >= MAX_ATTEMPTS) {
    return {
      ...base,
      error,
      verdict: { kind: "failed" },
      disableEndpoint: `An event could not be delivered in ${MAX_ATTEMPTS} attempts over 3 days (last: ${error}).`,
    };
  }
  const delay = Math.max(RETRY_DELAYS_MS[attempts - 1]!, (response.retryAfterSeconds ?? 0) * 1000);
  return {
    ...base,
    error,
    verdict: { kind: "retry", at: new Date(at.getTime() + delay) },
    disableEndpoint: null,
  };
}
