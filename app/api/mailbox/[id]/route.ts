// GET /api/mailbox/:id — one captured message, parsed, with sanitized HTML.
import { withUser } from "@/lib/api/handler";
import { getMailboxMessageOrThrow } from "@/lib/sandbox/mailbox";

export const GET = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ message: await getMailboxMessageOrThrow(user.id, params.id) }),
);
