// GET /api/senders — the user's senders; POST /api/senders — add an SMTP sender (password encrypted at rest).
import { parseBody, withUser } from "@/lib/api/handler";
import { createSender, listSenders } from "@/lib/senders/senders";
import { createSenderBody } from "@/lib/validation/senders";

export const GET = withUser(async (_req, { user }) => Response.json({ senders: await listSenders(user.id) }));

export const POST = withUser(async (req, { user }) =>
  Response.json(
    { sender: await createSender(user.id, await parseBody(req, createSenderBody)) },
    { status: 201 },
  ),
);
