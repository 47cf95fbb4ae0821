import "server-only";
import { db } from "@/lib/db/client";
import type { PushPreferences } from "@/lib/validation/push";

/** Every outcome notifies until the user says otherwise. */
export const DEFAULT_PUSH_PREFERENCES: PushPreferences = { delivered: true, failed: true, retrying: true };

export async function getPushPreferences(userId: string): Promise<PushPreferences> {
  const row = await db.pushPreference.findUnique({ where: { userId } });
  return row ? pick(row) : { ...DEFAULT_PUSH_PREFERENCES };
}

export async function updatePushPreferences(
  userId: string,
  changes: Partial<PushPreferences>,
): Promise<PushPreferences> {
  const row = await db.pushPreference.upsert({
    where: { userId },
    create: { userId, ...DEFAULT_PUSH_PREFERENCES, ...changes },
    update: changes,
  });
  return pick(row);
}

function pick({ delivered, failed, retrying }: PushPreferences): PushPreferences {
  return { delivered, failed, retrying };
}
