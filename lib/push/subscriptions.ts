import "server-only";
import { createPublicKey } from "node:crypto";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { PushSubscription } from "@/lib/generated/prisma/client";
import { deviceLabel } from "@/lib/push/device-label";
import { endpointProblem } from "@/lib/push/endpoint-policy";
import type { PushSubscriptionBody } from "@/lib/validation/push";

/** Enough for every phone, tablet and browser a person uses; more is a script, not a person. */
export const MAX_DEVICES_PER_USER = 20;

/** What the API returns for a device: never the endpoint's keys. */
export type PushDeviceView = {
  id: string;
  label: string;
  createdAt: string;
  lastSuccessAt: string | null;
};

export function toPushDeviceView(s: PushSubscription): PushDeviceView {
  return {
    id: s.id,
    label: deviceLabel(s.userAgent),
    createdAt: s.createdAt.toISOString(),
    lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
  };
}

export async function listPushDevices(userId: string): Promise<PushDeviceView[]> {
  const rows = await db.pushSubscription.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  return rows.map(toPushDeviceView);
}

/**
 * Stores this browser's subscription for the user. The endpoint identifies the browser: saving it again
 * refreshes its keys, and a browser where someone else signs in now notifies the new user only.
 */
export async function savePushSubscription(
  userId: string,
  input: PushSubscriptionBody,
  userAgent: string | null,
): Promise<{ device: PushDeviceView; created: boolean }> {
  assertUsable(input);
  const existing = await db.pushSubscription.findUnique({ where: { endpoint: input.endpoint } });
  if (existing?.userId !== userId) {
    const count = await db.pushSubscription.count({ where: { userId } });
    if (count >= MAX_DEVICES_PER_USER) {
      throw new ApiError(
        "conflict",
        `You already get notifications on ${MAX_DEVICES_PER_USER} devices; remove one in Settings first.`,
      );
    }
  }
  const data = {
    userId,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    userAgent: userAgent?.slice(0, 512) ?? null,
  };
  try {
    const saved = await db.pushSubscription.upsert({
      where: { endpoint: input.endpoint },
      create: { ...data, endpoint: input.endpoint },
      // Handed over to another user: a new device for them, with no success history.
      update:
        existing && existing.userId !== userId
          ? { ...data, createdAt: new Date(), lastSuccessAt: null }
          : data,
    });
    return { device: toPushDeviceView(saved), created: existing?.userId !== userId };
  } catch (error) {
    // The same browser saved itself twice at once: the other request created the row; update it.
    if (!isUniqueViolation(error)) throw error;
    const saved = await db.pushSubscription.update({ where: { endpoint: input.endpoint }, data });
    return { device: toPushDeviceView(saved), created: false };
  }
}

/** Removes one of the user's devices; 404 when it does not exist or belongs to someone else. */
export async function deletePushDevice(userId: string, id: string): Promise<void> {
  const { count } = await db.pushSubscription.deleteMany({ where: { id, userId } });
  if (count === 0) throw new ApiError("not_found", "Device not found.");
}

/** Removes every device of the user (their sessions were revoked: none of them may get mail data any more). */
export async function removeAllPushDevices(userId: string): Promise<void> {
  await db.pushSubscription.deleteMany({ where: { userId } });
}

function assertUsable(input: PushSubscriptionBody) {
  const fields: Record<string, string[]> = {};
  const problem = endpointProblem(input.endpoint);
  if (problem) fields.endpoint = [problem];
  if (!isP256Point(input.keys.p256dh)) fields["keys.p256dh"] = ["Not a point on the P-256 curve."];
  if (Object.keys(fields).length) {
    throw new ApiError("validation_failed", Object.values(fields)[0]![0]!, { fields });
  }
}

/** The encryption would fail at every send for a key off the curve: refuse it now, with a reason. */
function isP256Point(p256dh: string): boolean {
  const raw = Buffer.from(p256dh, "base64url");
  try {
    createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: raw.subarray(1, 33).toString("base64url"),
        y: raw.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
    return true;
  } catch {
    return false;
  }
}
