import type { Metadata } from "next";
import { MailboxList } from "@/components/mailbox/mailbox-list";

export const metadata: Metadata = { title: "Mailbox" };

export default function MailboxPage() {
  return <MailboxList />;
}
