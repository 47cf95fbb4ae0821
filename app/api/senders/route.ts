// GET /api/senders — the user's senders; POST /api/senders — add an SMTP sender (password encrypted at rest).
import { parseBody, withUser } from "@/lib/api/handler";
import { recordAuditEvent, requestMeta } from "@/lib/audit/events";
import { createSender, listSenders } from "@/lib/senders/senders";
import { createSenderBody } from "@/lib/validation/senders";

export const GET = withUser(async (_req, { user }) => Response.json({ senders: await listSenders(user.id) }));

export const POST = withUser(async (req, { user }) => {
  const sender = await createSender(user.id, await parseBody(req, createSenderBody));
  await recordAuditEvent(user.id, "sender_created", requestMeta(req), sender.label);
  return Response.json({ sender }, { status: 201 });
});
