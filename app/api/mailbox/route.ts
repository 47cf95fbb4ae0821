// GET /api/mailbox — messages captured by the built-in sandbox for this user, newest first.
import { withUser } from "@/lib/api/handler";
import { listMailbox } from "@/lib/sandbox/mailbox";

export const GET = withUser(async (req, { user }) => {
  const cursor = new URL(req.url).searchParams.get("cursor")?.slice(0, 64) || undefined;
  return Response.json(await listMailbox(user.id, { cursor }));
});
