import "server-only";
import { processSingleton } from "@/lib/server/singleton";
import { db } from "@/lib/db/client";
import { onDeliveryOutcome, type DeliveryOutcome } from "@/lib/delivery/outcomes";
import { env } from "@/lib/env";
import { log } from "@/lib/log/logger";
import { describeCampaignFinished } from "@/lib/push/outcome-text";
import {
  buildCampaignPushPayload,
  buildPushPayload,
  encodePushPayload,
  type PushPayload,
} from "@/lib/push/payload";
import { getPushPreferences } from "@/lib/push/preferences";
import { countPushResult } from "@/lib/push/results";
import { sendPushRequest, topicFor, type PushRequestOptions } from "@/lib/push/send";
import { getVapidDetails } from "@/lib/push/vapid";

// Delivery outcomes → push notifications on the sender's devices. Runs as a detached outcome listener: a
// slow, failing or absent push service never delays or fails delivery.

// The registered listener's "stop", one per process.
const registration = processSingleton("pushListener", (): { stop?: () => void } => ({}));

/** Registers the outcome listener once per process (web server or standalone worker). */
export function startPushNotifications(): void {
  registration.stop ??= onDeliveryOutcome(notifyDeliveryOutcome);
}

export function stopPushNotifications(): void {
  registration.stop?.();
  registration.stop = undefined;
}

// A failure matters most and is worth waking a phone for; the push service may hold it for a week.
const requestOptions: Record<DeliveryOutcome["kind"], Omit<PushRequestOptions, "topic" | "timeoutMs">> = {
  delivered: { urgency: "normal", ttlSeconds: 24 * 3600 },
  failed: { urgency: "high", ttlSeconds: 7 * 24 * 3600 },
  retrying: { urgency: "normal", ttlSeconds: 6 * 3600 },
  "sign-in-failed": { urgency: "high", ttlSeconds: 7 * 24 * 3600 },
};

export async function notifyDeliveryOutcome(outcome: DeliveryOutcome): Promise<void> {
  // "Still trying" is said once, when the temporary failures reach the configured count.
  if (outcome.kind === "retrying" && outcome.attempts !== env.PUSH_RETRY_NOTIFY_AFTER) return;
  // A campaign's messages are followed on its page; a refused sign-in still needs the user, campaign or not.
  if (outcome.campaign && outcome.kind !== "sign-in-failed") return;
  const devices = await devicesOf(outcome.userId);
  if (devices.length === 0) return;
  // A refused sign-in is a failure the user must act on: it follows the failures' setting.
  const preference = outcome.kind === "sign-in-failed" ? "failed" : outcome.kind;
  if (!(await getPushPreferences(outcome.userId))[preference]) return;

  await pushToDevices(devices, buildPushPayload(outcome), {
    ...requestOptions[outcome.kind],
    topic: topicFor(outcome.messageId),
  });
}

/**
 * A campaign has finished: one notification for the whole of it, with its counts (its messages notify nothing
 * each). Sent when the user wants delivery notifications, or failure ones and something failed.
 */
export async function notifyCampaignFinished(campaign: {
  id: string;
  userId: string;
  name: string;
  counts: { sent: number; failed: number; skipped: number; cancelled: number };
}): Promise<void> {
  const devices = await devicesOf(campaign.userId);
  if (devices.length === 0) return;
  const preferences = await getPushPreferences(campaign.userId);
  const failed = campaign.counts.failed > 0;
  if (!preferences.delivered && !(failed && preferences.failed)) return;
  await pushToDevices(
    devices,
    buildCampaignPushPayload({ campaignId: campaign.id, ...describeCampaignFinished(campaign) }),
    {
      urgency: failed ? "high" : "normal",
      ttlSeconds: 24 * 3600,
      topic: topicFor(`campaign:${campaign.id}`),
    },
  );
}

/** Sends one payload to each of a user's devices, forgetting those the push service says are gone. */
async function pushToDevices(
  devices: Device[],
  payload: PushPayload,
  options: Omit<PushRequestOptions, "timeoutMs">,
): Promise<void> {
  const body = encodePushPayload(payload);
  const vapid = getVapidDetails();
  const request: PushRequestOptions = { ...options, timeoutMs: env.PUSH_TIMEOUT_MS };
  const about =
    "campaignId" in payload ? { campaignId: payload.campaignId } : { messageId: payload.messageId };
  // Every device at once: one slow push service does not hold up the others.
  await Promise.all(
    devices.map(async (device) => {
      const attempt = await sendPushRequest(device, body, vapid, request);
      countPushResult(attempt.result);
      if (attempt.result === "sent") {
        await db.pushSubscription.updateMany({
          where: { id: device.id },
          data: { lastSuccessAt: new Date() },
        });
      } else if (attempt.result === "expired") {
        // The browser dropped this subscription (unsubscribed, site data cleared): stop sending to it.
        await db.pushSubscription.deleteMany({ where: { id: device.id } });
        log.info({ deviceId: device.id, status: attempt.status }, "push subscription expired and removed");
      } else {
        log.warn(
          {
            deviceId: device.id,
            ...about,
            result: attempt.result,
            status: attempt.status,
            service: new URL(device.endpoint).host,
          },
          "push notification not accepted",
        );
      }
    }),
  );
}

type Device = { id: string; endpoint: string; p256dh: string; auth: string };
let gathering: { userIds: Set<string>; devices: Promise<Map<string, Device[]>> } | null = null;

/**
 * The user's push devices. Outcomes settle in bursts (the worker commits them in groups), so the lookups made
 * in the same turn of the event loop are answered by one query instead of one each.
 */
function devicesOf(userId: string): Promise<Device[]> {
  if (!gathering) {
    const userIds = new Set<string>();
    const devices = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      // Lookups from here on gather for the next query.
      gathering = null;
      const rows = await db.pushSubscription.findMany({
        where: { userId: { in: [...userIds] } },
        select: { id: true, userId: true, endpoint: true, p256dh: true, auth: true },
      });
      const byUser = new Map<string, Device[]>();
      for (const { userId: owner, ...device } of rows)
        byUser.set(owner, [...(byUser.get(owner) ?? []), device]);
      return byUser;
    });
    gathering = { userIds, devices };
  }
  gathering.userIds.add(userId);
  return gathering.devices.then((byUser) => byUser.get(userId) ?? []);
}
