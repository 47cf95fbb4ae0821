// POST /api/mailbox/:id/attachments — copy a Mailbox message's files into the user's attachments, for Forward (idempotent)
import { withUser } from "@/lib/api/handler";
import { copyMailboxAttachmentsOrThrow } from "@/lib/attachments/copy-from-mailbox";

export const POST = withUser<{ id: string }>(async (_req, { user, params }) =>
  Response.json({ attachments: await copyMailboxAttachmentsOrThrow(user.id, params.id) }),
);
