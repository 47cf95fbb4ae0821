import type { Metadata } from "next";
import { SendingPanel } from "@/components/settings/sending-panel";
import { requirePageUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sending · Settings" };

export default async function SendingSettingsPage() {
  const user = await requirePageUser();
  return <SendingPanel undoSendSeconds={user.undoSendSeconds ?? env.UNDO_SEND_SECONDS} />;
}
