// GET /api/senders/oauth/:provider/start?sender=<id> — go to Google or Microsoft to connect (or reconnect) a sender
import { withUser } from "@/lib/api/handler";
import { ConnectError, oauthProviderOrThrow, startConnect } from "@/lib/oauth/flow";

type Params = { provider: string };

export const GET = withUser<Params>(async (req, { user, params }) => {
  const provider = oauthProviderOrThrow(params.provider);
  const reconnect = new URL(req.url).searchParams.get("sender");
  try {
    const { location, cookie } = await startConnect(user.id, provider, reconnect || null);
    return new Response(null, {
      status: 303,
      headers: { location, "set-cookie": cookie, "cache-control": "no-store" },
    });
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    return new Response(null, {
      status: 303,
      headers: { location: `/settings/senders?oauth_error=${error.reason}` },
    });
  }
});
