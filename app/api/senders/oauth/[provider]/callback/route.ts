// GET /api/senders/oauth/:provider/callback — the provider sends the browser back here; the sender is saved
import { withUser } from "@/lib/api/handler";
import { recordAuditEvent, requestMeta } from "@/lib/audit/events";
import { log } from "@/lib/log/logger";
import {
  clearedFlowCookie,
  completeConnect,
  ConnectError,
  FLOW_COOKIE,
  oauthProviderOrThrow,
} from "@/lib/oauth/flow";

type Params = { provider: string };

export const GET = withUser<Params>(async (req, { user, params }) => {
  const provider = oauthProviderOrThrow(params.provider);
  const headers = { "set-cookie": clearedFlowCookie(), "cache-control": "no-store" };
  try {
    const saved = await completeConnect(user.id, provider, new URL(req.url), flowCookieOf(req));
    await recordAuditEvent(
      user.id,
      saved.reconnected ? "sender_updated" : "sender_created",
      requestMeta(req),
      `${saved.label}: ${saved.reconnected ? "reconnected" : "connected"} with ${provider.name}`,
    );
    return new Response(null, {
      status: 303,
      headers: { ...headers, location: `/settings/senders?connected=${saved.senderId}` },
    });
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    log.warn({ provider: provider.id, reason: error.reason, detail: error.message }, "oauth connect failed");
    return new Response(null, {
      status: 303,
      headers: { ...headers, location: `/settings/senders?oauth_error=${error.reason}` },
    });
  }
});

function flowCookieOf(req: Request): string | undefined {
  const cookies = req.headers.get("cookie") ?? "";
  for (const part of cookies.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === FLOW_COOKIE) return value.join("=");
  }
  return undefined;
}
