// GET, PATCH, DELETE /api/senders/:id — one of the user's senders (404 for anyone else's).
import { parseBody, withUser } from "@/lib/api/handler";
import { deleteSender, getSenderOrThrow, toSenderView, updateSender } from "@/lib/senders/senders";
import { updateSenderBody } from "@/lib/validation/senders";

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { user, params }) =>
  Response.json({ sender: toSenderView(await getSenderOrThrow(user.id, params.id)) }),
);

export const PATCH = withUser<Params>(async (req, { user, params }) =>
  Response.json({ sender: await updateSender(user.id, params.id, await parseBody(req, updateSenderBody)) }),
);

export const DELETE = withUser<Params>(async (_req, { user, params }) => {
  await deleteSender(user.id, params.id);
  return new Response(null, { status: 204 });
});
