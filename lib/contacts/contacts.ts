import "server-only";
import { db } from "@/lib/db/client";
import { matchesPrefix, rankContacts, type Contact, type Interaction } from "@/lib/contacts/ranking";
import type { Recipient } from "@/lib/validation/messages";

// People the user wrote to (the recipients of their messages) and heard from (the senders of mail captured in
// their Mailbox), ranked by lib/contacts/ranking.ts. Computed from the latest messages on each request: a few
// thousand rows, cheaper than keeping a second table in step with every send.
const RECENT_MESSAGES = 2_000;
const RECENT_MAILS = 1_000;

export async function suggestContacts(userId: string, prefix: string, limit: number): Promise<Contact[]> {
  const [user, senders, messages, mails] = await Promise.all([
    db.user.findUnique({ where: { id: userId }, select: { email: true } }),
    db.sender.findMany({ where: { userId }, select: { fromEmail: true } }),
    db.message.findMany({
      where: { userId, status: { not: "cancelled" } },
      orderBy: { createdAt: "desc" },
      take: RECENT_MESSAGES,
      select: { to: true, cc: true, bcc: true, createdAt: true },
    }),
    db.sandboxMail.findMany({
      where: { userId },
      orderBy: { receivedAt: "desc" },
      take: RECENT_MAILS,
      select: { envelopeFrom: true, receivedAt: true },
    }),
  ]);
  // The user's own addresses are not suggestions (the sandbox's captured mail comes from them).
  const own = new Set([user?.email, ...senders.map((s) => s.fromEmail)].map((a) => a?.toLowerCase()));
  const interactions: Interaction[] = [];
  for (const m of messages) {
    const at = m.createdAt.getTime();
    for (const r of [m.to, m.cc, m.bcc].flatMap((list) =>
      Array.isArray(list) ? (list as Recipient[]) : [],
    )) {
      interactions.push({ address: r.address, name: r.name, at, kind: "sent" });
    }
  }
  for (const mail of mails) {
    if (mail.envelopeFrom)
      interactions.push({ address: mail.envelopeFrom, at: mail.receivedAt.getTime(), kind: "received" });
  }
  return rankContacts(
    interactions.filter((i) => !own.has(i.address.toLowerCase())),
    Date.now(),
  )
    .filter((c) => matchesPrefix(c, prefix))
    .slice(0, limit);
}
