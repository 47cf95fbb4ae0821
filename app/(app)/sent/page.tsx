import type { Metadata } from "next";
import { SentList } from "@/components/messages/sent-list";
import { requirePageUser } from "@/lib/auth/session";
import { listMessages } from "@/lib/messages/queries";
import { listMessagesQuery } from "@/lib/validation/messages";

export const metadata: Metadata = { title: "Sent" };

export default async function SentPage() {
  const user = await requirePageUser();
  // The first page comes with the HTML: fetched after hydration, the list was the screen's late largest paint
  // (LCP 3.9–4.1 s on a phone).
  return <SentList initial={await listMessages(user.id, listMessagesQuery.parse({}))} />;
}
