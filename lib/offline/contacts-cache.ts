// Address suggestions kept on the device, so they work offline: the server's ranked list (refreshed while
// online) plus the people this device sent to since.
import { interactionScore, matchesPrefix, mergeContacts, type Contact } from "@/lib/contacts/ranking";
import { offlineDb } from "@/lib/offline/db";
import type { Recipient } from "@/lib/validation/messages";

export { mergeContacts };

/** At most this many people are kept per user on a device. */
export const CACHED_CONTACTS = 500;

export async function cachedSuggestions(userId: string, prefix: string, limit: number): Promise<Contact[]> {
  const all = await offlineDb().contacts.where("userId").equals(userId).toArray();
  return mergeContacts(
    all.filter((c) => matchesPrefix(c, prefix)).map(({ userId: _userId, ...c }) => c),
    [],
    limit,
  );
}

/** Keeps what the server answered (its scores are newer than the device's for the same people). */
export async function cacheContacts(userId: string, contacts: Contact[]): Promise<void> {
  const db = offlineDb();
  await db.transaction("rw", db.contacts, async () => {
    const known = await db.contacts.bulkGet(contacts.map((c) => [userId, c.address.toLowerCase()]));
    await db.contacts.bulkPut(
      contacts.map((c, i) => {
        const mine = known[i];
        // A message this device sent after the server counted is still to be counted there.
        const newer = mine && mine.lastAt > c.lastAt;
        return {
          ...c,
          address: c.address.toLowerCase(),
          userId,
          score: newer ? Math.max(mine.score, c.score) : c.score,
        };
      }),
    );
    await trim(userId);
  });
}

/** The user sent (or queued) a message: its recipients rank higher on this device at once, offline too. */
export async function noteSent(userId: string, recipients: Recipient[]): Promise<void> {
  const db = offlineDb();
  const now = Date.now();
  await db.transaction("rw", db.contacts, async () => {
    for (const r of recipients) {
      const address = r.address.toLowerCase();
      const prev = await db.contacts.get([userId, address]);
      await db.contacts.put({
        userId,
        address,
        name: r.name ?? prev?.name,
        score: (prev?.score ?? 0) + interactionScore("sent", now, now),
        count: (prev?.count ?? 0) + 1,
        lastAt: now,
      });
    }
    await trim(userId);
  });
}

async function trim(userId: string): Promise<void> {
  const db = offlineDb();
  const all = await db.contacts.where("userId").equals(userId).toArray();
  if (all.length <= CACHED_CONTACTS) return;
  const keep = new Set(mergeContacts(all, [], CACHED_CONTACTS).map((c) => c.address));
  await db.contacts.bulkDelete(all.filter((c) => !keep.has(c.address)).map((c) => [userId, c.address]));
}
