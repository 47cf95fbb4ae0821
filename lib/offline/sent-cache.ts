// Recent Sent items kept on the device, so Sent still shows something without a connection.
import Dexie from "dexie";
import { offlineDb } from "@/lib/offline/db";
import type { MessageSummary } from "@/lib/messages/message-view";

const KEEP = 100;

export async function rememberSent(userId: string, items: MessageSummary[]): Promise<void> {
  const db = offlineDb();
  await db.transaction("rw", db.sentCache, async () => {
    await db.sentCache.bulkPut(items.map((m) => ({ ...m, userId })));
    const all = await userItems(userId).primaryKeys();
    const excess = all.length - KEEP;
    if (excess > 0) await db.sentCache.bulkDelete(all.slice(0, excess)); // oldest first
  });
}

export async function cachedSent(userId: string, query?: string): Promise<MessageSummary[]> {
  const items = (await userItems(userId).reverse().toArray()).map(({ userId: _userId, ...m }) => m);
  if (!query) return items;
  const q = query.toLowerCase();
  return items.filter((m) =>
    [m.subject, ...[...m.to, ...m.cc, ...m.bcc].flatMap((r) => [r.address, r.name ?? ""])].some((s) =>
      s.toLowerCase().includes(q),
    ),
  );
}

function userItems(userId: string) {
  return offlineDb()
    .sentCache.where("[userId+createdAt]")
    .between([userId, Dexie.minKey], [userId, Dexie.maxKey]);
}
