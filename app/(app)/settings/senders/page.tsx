import type { Metadata } from "next";
import { SendersPanel, type ConnectNotice } from "@/components/settings/senders-panel";
import { requirePageUser } from "@/lib/auth/session";
import { configuredOAuthProviders } from "@/lib/oauth/providers";
import { listSenders } from "@/lib/senders/senders";

export const metadata: Metadata = { title: "Senders · Settings" };

export default async function SendersSettingsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requirePageUser();
  // Where "Connect Google/Microsoft" comes back to (app/api/senders/oauth/[provider]/callback).
  const query = await searchParams;
  const connectNotice: ConnectNotice | null = query.connected
    ? { ok: true }
    : typeof query.oauth_error === "string"
      ? { ok: false, reason: query.oauth_error }
      : null;
  return (
    <SendersPanel
      initial={await listSenders(user.id)}
      oauthProviders={configuredOAuthProviders()}
      connectNotice={connectNotice}
    />
  );
}
