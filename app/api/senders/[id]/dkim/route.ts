// PUT /api/senders/:id/dkim — sign this sender's mail with DKIM (a key generated, or the one imported);
// DELETE — stop signing. The answer is the sender, with the DNS record to publish; never the key.
import { parseBody, withUser } from "@/lib/api/handler";
import { removeSenderDkim, setSenderDkim } from "@/lib/senders/dkim";
import { senderDkimBody } from "@/lib/validation/senders";

type Params = { id: string };

export const PUT = withUser<Params>(async (req, { user, params }) =>
  Response.json({ sender: await setSenderDkim(user.id, params.id, await parseBody(req, senderDkimBody)) }),
);

export const DELETE = withUser<Params>(async (_req, { user, params }) =>
  Response.json({ sender: await removeSenderDkim(user.id, params.id) }),
);
