// POST /api/senders/check — test a new sender's settings before saving it (nothing is stored); rate limited.
import { parseBody, withUser } from "@/lib/api/handler";
import { limits } from "@/lib/rate-limit/limits";
import { checkNewSender } from "@/lib/senders/check-settings";
import { createSenderBody } from "@/lib/validation/senders";

export const POST = withUser(async (req, { user }) => {
  const input = await parseBody(req, createSenderBody);
  await limits.testConnection.consumeOrThrow(
    `user:${user.id}`,
    "Too many connection tests. Wait a few minutes and try again.",
  );
  return Response.json({ result: await checkNewSender(user.id, input) });
});
