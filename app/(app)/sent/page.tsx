import type { Metadata } from "next";
import { SentList } from "@/components/messages/sent-list";

export const metadata: Metadata = { title: "Sent" };

export default function SentPage() {
  return <SentList />;
}
