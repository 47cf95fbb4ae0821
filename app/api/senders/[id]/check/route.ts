// POST /api/senders/:id/check — test a sender as it would be after the given changes (nothing is stored).
import { parseBody, withUser } from "@/lib/api/handler";
import { limits } from "@/lib/rate-limit/limits";
import { checkSenderChanges } from "@/lib/senders/check-settings";
import { updateSenderBody } from "@/lib/validation/senders";

export const POST = withUser<{ id: string }>(async (req, { user, params }) => {
  const input = await parseBody(req, updateSenderBody);
  await limits.testConnection.consumeOrThrow(
    `user:${user.id}`,
    "Too many connection tests. Wait a few minutes and try again.",
  );
  return Response.json({ result: await checkSenderChanges(user.id, params.id, input) });
});
