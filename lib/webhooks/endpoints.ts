import "server-only";
import { ApiError } from "@/lib/api/errors";
import { decryptSecret, encryptSecret } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "@/lib/generated/prisma/client";
import { MAX_WEBHOOKS, type CreateWebhookBody, type UpdateWebhookBody } from "@/lib/validation/webhooks";
import { isWebhookEventType, type WebhookEventType } from "@/lib/webhooks/event-types";
import { enqueueTestEvent, forgetEndpointsOf, requeueDelivery } from "@/lib/webhooks/queue";
import { generateWebhookSecret } from "@/lib/webhooks/signing";
import { checkWebhookUrlShape, UnsafeWebhookUrlError } from "@/lib/webhooks/target";

/** The signing secret's envelope is bound to its endpoint (GCM associated data). */
export const webhookSecretContext = (endpointId: string) => `webhook:${endpointId}:secret`;
/** How long a rotated-out secret keeps signing, so receivers can switch without missing events. */
const ROTATION_OVERLAP_MS = 24 * 3600_000;

export type WebhookView = {
  id: string;
  kind: "standard" | "slack" | "discord";
  url: string;
  description: string | null;
  events: WebhookEventType[];
  disabledAt: string | null;
  disabledReason: string | null;
  createdAt: string;
};

export type WebhookDeliveryView = {
  id: string;
  eventId: string;
  type: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  attemptLog: { statusCode: number | null; error: string | null; durationMs: number; at: string }[];
};

export async function listWebhooks(userId: string): Promise<WebhookView[]> {
  const rows = await db.webhookEndpoint.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
  return rows.map(toWebhookView);
}

export async function getWebhookOrThrow(userId: string, id: string): Promise<WebhookView> {
  return toWebhookView(await findOwnOrThrow(userId, id));
}

/** Creates an endpoint; a standard one gets a signing secret, returned here once. */
export async function createWebhook(
  userId: string,
  input: CreateWebhookBody,
): Promise<{ webhook: WebhookView; secret: string | null }> {
  assertUsableUrl(input.url, input.kind);
  if ((await db.webhookEndpoint.count({ where: { userId } })) >= MAX_WEBHOOKS) {
    throw new ApiError(
      "conflict",
      `You have ${MAX_WEBHOOKS} webhooks already. Delete one you no longer use.`,
    );
  }
  const secret = generateWebhookSecret();
  const row = await db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        userId,
        kind: input.kind,
        url: input.url,
        description: input.description,
        events: input.events,
        secretCipher: "pending",
      },
    });
    return tx.webhookEndpoint.update({
      where: { id: created.id },
      data: { secretCipher: encryptSecret(secret, webhookSecretContext(created.id)) },
    });
  });
  forgetEndpointsOf(userId);
  return { webhook: toWebhookView(row), secret: input.kind === "standard" ? secret : null };
}

export async function updateWebhook(
  userId: string,
  id: string,
  input: UpdateWebhookBody,
): Promise<{ webhook: WebhookView; secret: string | null }> {
  const current = await findOwnOrThrow(userId, id);
  if (input.url !== undefined) assertUsableUrl(input.url, current.kind as WebhookView["kind"]);
  let secret: string | null = null;
  const rotation: { secretCipher?: string; previousSecretCipher?: string; previousSecretUntil?: Date } = {};
  if (input.rotateSecret) {
    if (current.kind !== "standard")
      throw new ApiError("conflict", "Slack and Discord webhooks have no signing secret.");
    secret = generateWebhookSecret();
    rotation.previousSecretCipher = current.secretCipher;
    rotation.previousSecretUntil = new Date(Date.now() + ROTATION_OVERLAP_MS);
    rotation.secretCipher = encryptSecret(secret, webhookSecretContext(id));
  }
  const row = await db.webhookEndpoint.update({
    where: { id },
    data: {
      url: input.url,
      events: input.events,
      description: input.description,
      ...(input.enabled === true ? { disabledAt: null, disabledReason: null, failureStreak: 0 } : {}),
      ...(input.enabled === false && !current.disabledAt
        ? { disabledAt: new Date(), disabledReason: "Paused by you." }
        : {}),
      ...rotation,
    },
  });
  forgetEndpointsOf(userId);
  return { webhook: toWebhookView(row), secret };
}

export async function deleteWebhook(userId: string, id: string): Promise<void> {
  await findOwnOrThrow(userId, id);
  await db.webhookEndpoint.delete({ where: { id } });
  forgetEndpointsOf(userId);
}

/** Queues a "webhook.test" event for this endpoint alone (also when it is off: it goes once it is on). */
export async function sendTestEvent(userId: string, id: string): Promise<void> {
  await findOwnOrThrow(userId, id);
  await enqueueTestEvent(userId, id, "webhook.test", {
    message: "This is a test event from SecureVault. Your endpoint is set up.",
  });
}

export async function listDeliveries(
  userId: string,
  id: string,
  { cursor, limit }: { cursor?: string; limit: number },
): Promise<{ deliveries: WebhookDeliveryView[]; nextCursor: string | null }> {
  await findOwnOrThrow(userId, id);
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: id, ...(cursor ? { id: { lt: cursor } } : {}) },
    orderBy: { id: "desc" },
    take: limit + 1,
    include: { attemptLog: { orderBy: { createdAt: "asc" } } },
  });
  const page = rows.slice(0, limit).map(toDeliveryView);
  return { deliveries: page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** Sends an earlier event again, as a new delivery with the same webhook-id. */
export async function replayDelivery(
  userId: string,
  id: string,
  deliveryId: string,
): Promise<WebhookDeliveryView> {
  await findOwnOrThrow(userId, id);
  const original = await db.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: id } });
  if (!original) throw new ApiError("not_found", "Delivery not found.");
  const newId = await requeueDelivery(original.id);
  const row = await db.webhookDelivery.findUniqueOrThrow({
    where: { id: newId },
    include: { attemptLog: true },
  });
  return toDeliveryView(row);
}

/** The endpoint's current signing secret, for the README's verification example and tests. */
export function webhookSecretOf(endpoint: Pick<WebhookEndpoint, "id" | "secretCipher">): string {
  return decryptSecret(endpoint.secretCipher, webhookSecretContext(endpoint.id));
}

async function findOwnOrThrow(userId: string, id: string): Promise<WebhookEndpoint> {
  const row = await db.webhookEndpoint.findFirst({ where: { id, userId } });
  if (!row) throw new ApiError("not_found", "Webhook not found.");
  return row;
}

function assertUsableUrl(url: string, kind: WebhookView["kind"]): void {
  try {
    checkWebhookUrlShape(url, kind);
  } catch (error) {
    if (error instanceof UnsafeWebhookUrlError) {
      throw new ApiError("validation_failed", error.message, { fields: { url: [error.message] } });
    }
    throw new ApiError("validation_failed", "That is not a usable URL.", {
      fields: { url: ["That is not a usable URL."] },
    });
  }
}

function toWebhookView(row: WebhookEndpoint): WebhookView {
  return {
    id: row.id,
    kind: row.kind as WebhookView["kind"],
    url: row.url,
    description: row.description,
    events: Array.isArray(row.events) ? row.events.filter(isWebhookEventType) : [],
    disabledAt: row.disabledAt?.toISOString() ?? null,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
  };
}

function toDeliveryView(row: WebhookDelivery & { attemptLog: WebhookAttempt[] }): WebhookDeliveryView {
  return {
    id: row.id,
    eventId: row.eventId,
    type: row.type,
    status: row.status as WebhookDeliveryView["status"],
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt.toISOString() : null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    attemptLog: row.attemptLog.map((a) => ({
      statusCode: a.statusCode,
      error: a.error,
      durationMs: a.durationMs,
      at: a.createdAt.toISOString(),
    })),
  };
}
