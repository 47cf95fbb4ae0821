// The on-device database, shared by the page and the service worker (one schema, one version history).
import Dexie, { type EntityTable } from "dexie";
import type { MessageSummary } from "@/lib/messages/message-view";
import type { Recipient } from "@/lib/validation/messages";

/** What POST /api/messages takes; stored as-is so a replay sends exactly what the user sent. */
export type OutgoingMessage = {
  idempotencyKey: string;
  senderId: string;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  subject: string;
  html: string;
  /** Scheduled send: when it should go out (ISO 8601); absent means now. */
  sendAt?: string;
};

export type OutboxState = "queued" | "sending" | "needs-attention";

export type OutboxItem = {
  /** The idempotency key: one outbox item is one message, however often it is replayed. */
  key: string;
  userId: string;
  message: OutgoingMessage;
  state: OutboxState;
  queuedAt: number;
  attempts: number;
  lastAttemptAt?: number;
  /** Why the server refused it (4xx), in its own words, with field errors when it gave some. */
  error?: { message: string; fields?: Record<string, string[]> };
};

/** A message being written: the outgoing message without its key (made at Send), plus who and when. */
export type Draft = Omit<OutgoingMessage, "idempotencyKey"> & {
  id: string;
  userId: string;
  updatedAt: number;
};

export type SentCacheItem = MessageSummary & { userId: string };

export class OfflineDatabase extends Dexie {
  outbox!: EntityTable<OutboxItem, "key">;
  drafts!: EntityTable<Draft, "id">;
  sentCache!: EntityTable<SentCacheItem, "id">;

  constructor(durability: "strict" | "relaxed") {
    super("securevault", { chromeTransactionDurability: durability });
    this.version(1).stores({
      outbox: "key, userId, [userId+queuedAt], state",
      drafts: "id, userId, [userId+updatedAt]",
      sentCache: "id, userId, [userId+createdAt]",
    });
  }
}

let relaxed: OfflineDatabase | undefined;
let strict: OfflineDatabase | undefined;

/** The database, opened lazily (never during server rendering). */
export function offlineDb(): OfflineDatabase {
  relaxed ??= new OfflineDatabase("relaxed");
  return relaxed;
}

/**
 * The same database with strict durability: the write is on disk before the promise resolves. Used to put a
 * message into the outbox, so "Queued" is true even if the device loses power a moment later. (Later state
 * changes may use offlineDb(): losing one only means a replay the server recognises by its key.)
 */
export function durableOfflineDb(): OfflineDatabase {
  strict ??= new OfflineDatabase("strict");
  return strict;
}

/** Removes everything this device keeps for one user (after an explicit sign-out). */
export async function clearUserData(userId: string): Promise<void> {
  const db = offlineDb();
  await db.transaction("rw", db.outbox, db.drafts, db.sentCache, async () => {
    await db.outbox.where("userId").equals(userId).delete();
    await db.drafts.where("userId").equals(userId).delete();
    await db.sentCache.where("userId").equals(userId).delete();
  });
}

/**
 * After the server ended this device's session (signed out elsewhere, password changed, expired): the user's
 * drafts and Sent copies go. Outbox messages stay and wait for the same user's next sign-in, as they do offline.
 */
export async function clearRevokedUserData(userId: string): Promise<void> {
  const db = offlineDb();
  await db.transaction("rw", db.drafts, db.sentCache, async () => {
    await db.drafts.where("userId").equals(userId).delete();
    await db.sentCache.where("userId").equals(userId).delete();
  });
}
