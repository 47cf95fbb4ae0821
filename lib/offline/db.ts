// The on-device database, shared by the page and the service worker (one schema, one version history).
import Dexie, { type EntityTable } from "dexie";
import type { MessageSummary } from "@/lib/messages/message-view";
import type { Contact } from "@/lib/contacts/ranking";
import type { Recipient } from "@/lib/validation/messages";
import type { OutboxFile } from "@/lib/offline/attachment-files";

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
  /**
   * The files, with their bytes while the message is on this device (lib/offline/attachment-files.ts): the
   * request carries only their server ids (attachmentIds), uploaded first.
   */
  files?: OutboxFile[];
  /** Files already on the server (a forwarded message's), sent as they are, after those in `files`. */
  attachmentIds?: string[];
  /** A reply's threading headers (lib/compose/reply.ts), carried through the outbox with the message. */
  inReplyTo?: string;
  references?: string;
  /** A forward's original ("mailbox:<id>" or "sent:<id>"): the server sends its attachments along. */
  forwardOf?: string;
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
  /** The server's revision this content was based on (lib/offline/draft-sync.ts); absent: not on the server yet. */
  serverRevision?: number;
  /** The revision this device's own last save on the server made (an own save is never a conflict). */
  pushedRevision?: number;
  /** Changed on this device since the server last had it. */
  unsynced?: boolean;
  /** The server refused this version (400/413), in its words; the next edit clears it and tries again. */
  syncError?: string;
  /** A reply's or forward's original, quoted below what the user writes (sent after the signature). */
  quoteHtml?: string;
  /** The original's text, for the pre-send check's "unanswered questions". */
  quotedText?: string;
};

/** A draft deleted (or sent) on this device that the server still has: removed there at the next sync. */
export type DraftTombstone = { id: string; userId: string };

/** Someone the user wrote to or heard from, as the server ranked them or this device has seen since. */
export type CachedContact = Contact & { userId: string };

export type SentCacheItem = MessageSummary & { userId: string };

export class OfflineDatabase extends Dexie {
  outbox!: EntityTable<OutboxItem, "key">;
  drafts!: EntityTable<Draft, "id">;
  sentCache!: EntityTable<SentCacheItem, "id">;
  draftTombstones!: EntityTable<DraftTombstone, "id">;
  contacts!: Dexie.Table<CachedContact, [string, string]>;

  constructor(durability: "strict" | "relaxed") {
    super("securevault", { chromeTransactionDurability: durability });
    this.version(1).stores({
      outbox: "key, userId, [userId+queuedAt], state",
      drafts: "id, userId, [userId+updatedAt]",
      sentCache: "id, userId, [userId+createdAt]",
    });
    // Drafts on every device: deletions still to tell the server about. Address suggestions for offline use.
    this.version(2).stores({ draftTombstones: "id, userId", contacts: "[userId+address], userId" });
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
  await db.transaction(
    "rw",
    [db.outbox, db.drafts, db.draftTombstones, db.sentCache, db.contacts],
    async () => {
      await db.outbox.where("userId").equals(userId).delete();
      await db.drafts.where("userId").equals(userId).delete();
      await db.draftTombstones.where("userId").equals(userId).delete();
      await db.sentCache.where("userId").equals(userId).delete();
      await db.contacts.where("userId").equals(userId).delete();
    },
  );
}

/**
 * After the server ended this device's session (signed out elsewhere, password changed, expired): the user's
 * drafts and Sent copies go. Outbox messages stay and wait for the same user's next sign-in, as they do offline.
 */
export async function clearRevokedUserData(userId: string): Promise<void> {
  const db = offlineDb();
  await db.transaction("rw", [db.drafts, db.draftTombstones, db.sentCache, db.contacts], async () => {
    await db.drafts.where("userId").equals(userId).delete();
    await db.draftTombstones.where("userId").equals(userId).delete();
    await db.sentCache.where("userId").equals(userId).delete();
    await db.contacts.where("userId").equals(userId).delete();
  });
}
