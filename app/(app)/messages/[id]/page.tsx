import type { Metadata } from "next";
import { MessageDetailView } from "@/components/messages/message-detail-view";
import { loadOrNotFound } from "@/lib/api/page-loaders";
import { requirePageUser } from "@/lib/auth/session";
import { getMessageOrThrow } from "@/lib/messages/queries";
import { plainTextOf } from "@/lib/mail/plain-text";
import { listSenders } from "@/lib/senders/senders";
import type { ReplySource } from "@/lib/compose/reply";

export const metadata: Metadata = { title: "Message" };

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  const [message, senders] = await Promise.all([
    loadOrNotFound(getMessageOrThrow(user.id, id)),
    listSenders(user.id),
  ]);
  // What Reply, Reply all and Forward start from: the message as it was sent.
  const replySource: ReplySource = {
    kind: "sent",
    id: message.id,
    messageId: message.messageId,
    references: message.references,
    inReplyTo: message.inReplyTo,
    subject: message.subject,
    date: message.sentAt ?? message.createdAt,
    from: message.from.name
      ? { address: message.from.address, name: message.from.name }
      : { address: message.from.address },
    replyTo: [],
    to: message.to,
    cc: message.cc,
    html: message.html,
    text: plainTextOf(message.html),
    attachmentCount: message.attachments.length,
    attachmentIds: message.attachments.map((a) => a.id),
  };
  return (
    <MessageDetailView
      initial={message}
      replySource={replySource}
      senders={senders.map(({ id, fromEmail }) => ({ id, fromEmail }))}
    />
  );
}
