import type { Metadata } from "next";
import { MailboxMessageView } from "@/components/mailbox/mailbox-message-view";
import { loadOrNotFound } from "@/lib/api/page-loaders";
import { requirePageUser } from "@/lib/auth/session";
import { getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";
import { listSenders } from "@/lib/senders/senders";

export const metadata: Metadata = { title: "Mailbox" };

export default async function MailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  const [message, senders] = await Promise.all([
    loadOrNotFound(getMailboxMessageOrThrow(user.id, id)),
    listSenders(user.id),
  ]);
  return (
    <MailboxMessageView message={message} senders={senders.map(({ id, fromEmail }) => ({ id, fromEmail }))} />
  );
}
