import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InvitationsPanel } from "@/components/settings/invitations-panel";
import { requirePageUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Invitations · Settings" };

export default async function InvitationsSettingsPage() {
  const user = await requirePageUser();
  if (!user.isAdmin) notFound();
  return <InvitationsPanel mode={env.SIGNUP_MODE} />;
}
