import type { Metadata } from "next";
import { MessageDetailView } from "@/components/messages/message-detail-view";
import { loadOrNotFound } from "@/lib/api/page-loaders";
import { requirePageUser } from "@/lib/auth/session";
import { getMessageOrThrow } from "@/lib/messages/queries";

export const metadata: Metadata = { title: "Message" };

export default async function MessagePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  const message = await loadOrNotFound(getMessageOrThrow(user.id, id));
  return <MessageDetailView initial={message} />;
}
