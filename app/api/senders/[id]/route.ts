// GET, PATCH, DELETE /api/senders/:id — one of the user's senders (404 for anyone else's).
import { parseBody, withUser } from "@/lib/api/handler";
import { recordAuditEvent, requestMeta } from "@/lib/audit/events";
import { deleteSender, getSenderOrThrow, toSenderView, updateSender } from "@/lib/senders/senders";
import { updateSenderBody } from "@/lib/validation/senders";

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { user, params }) =>
  Response.json({ sender: toSenderView(await getSenderOrThrow(user.id, params.id)) }),
);

export const PATCH = withUser<Params>(async (req, { user, params }) => {
  const input = await parseBody(req, updateSenderBody);
  const sender = await updateSender(user.id, params.id, input);
  // Which fields changed, never their values (the password among them).
  const changed = Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined);
  await recordAuditEvent(
    user.id,
    "sender_updated",
    requestMeta(req),
    `${sender.label}: ${changed.join(", ")}`,
  );
  return Response.json({ sender });
});

export const DELETE = withUser<Params>(async (req, { user, params }) => {
  const sender = await getSenderOrThrow(user.id, params.id);
  await deleteSender(user.id, params.id);
  await recordAuditEvent(user.id, "sender_deleted", requestMeta(req), sender.label);
  return new Response(null, { status: 204 });
});
