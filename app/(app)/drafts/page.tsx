import type { Metadata } from "next";
import { DraftsList } from "@/components/drafts/drafts-list";

export const metadata: Metadata = { title: "Drafts" };

export default function DraftsPage() {
  return <DraftsList />;
}
