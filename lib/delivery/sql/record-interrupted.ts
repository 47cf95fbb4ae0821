import "server-only";
import { newTimeOrderedId } from "@/lib/db/ids";
import { jsonRows } from "@/lib/db/json-rows";
import type { ClaimedRow } from "@/lib/delivery/claimed-message";
import type { DbClient } from "@/lib/delivery/sql/db-client";

/** The timeline entry of an attempt a dead worker left; `{attempt}` is its number. */
export const INTERRUPTED_DETAIL =
  "Attempt {attempt} stopped before the mail server's reply was recorded (the delivery worker stopped). " +
  "Trying again with the same Message-ID.";

/**
 * An attempt cut short: its worker stopped before the server's reply was stored. Its lease ran out and it is
 * tried again now, so the timeline says so (a message in flight is shown from its row, not from an entry).
 * `messages` are as claimed: their attempts count the new one.
 */
export async function recordInterrupted(client: DbClient, messages: ClaimedRow[], now: Date): Promise<void> {
  const events = jsonRows(
    { id: "text", messageId: "text", detail: "text", at: "timestamp" },
    messages.map((m) => ({
      id: newTimeOrderedId(now.getTime()),
      messageId: m.id,
      detail: INTERRUPTED_DETAIL.replace("{attempt}", String(m.attempts - 1)),
      at: now,
    })),
  );
  await client.$executeRaw`
    INSERT INTO "MessageEvent" ("id", "messageId", "type", "detail", "createdAt")
    SELECT v."id", v."messageId", 'interrupted', v."detail", v."at" FROM ${events} AS v`;
}
