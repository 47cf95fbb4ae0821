import type { Metadata } from "next";
import { AiUsagePanel } from "@/components/settings/ai-usage-panel";
import { requirePageUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "AI assistant · Settings" };

export default async function AiSettingsPage() {
  const user = await requirePageUser();
  return <AiUsagePanel isAdmin={user.isAdmin} />;
}
