import type { Metadata } from "next";
import { MailboxMessageView } from "@/components/mailbox/mailbox-message-view";
import { loadOrNotFound } from "@/lib/api/page-loaders";
import { requirePageUser } from "@/lib/auth/session";
import { getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";

export const metadata: Metadata = { title: "Mailbox" };

export default async function MailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  const message = await loadOrNotFound(getMailboxMessageOrThrow(user.id, id));
  return <MailboxMessageView message={message} />;
}
