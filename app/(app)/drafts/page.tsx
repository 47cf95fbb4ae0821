import type { Metadata } from "next";
import { DraftsScreen } from "@/components/drafts/drafts-screen";

export const metadata: Metadata = { title: "Drafts" };

export default function DraftsPage() {
  return <DraftsScreen />;
}
