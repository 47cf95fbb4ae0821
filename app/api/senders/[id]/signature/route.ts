// PUT /api/senders/:id/signature — set (or, with "", remove) one of the user's senders' signature.
import { parseBody, withUser } from "@/lib/api/handler";
import { setSenderSignature } from "@/lib/senders/signature";
import { MAX_SIGNATURE_CHARS, signatureBody } from "@/lib/validation/compose";

type Params = { id: string };

export const PUT = withUser<Params>(async (req, { user, params }) => {
  const { html } = await parseBody(req, signatureBody, { maxBytes: MAX_SIGNATURE_CHARS * 4 + 1024 });
  return Response.json({ signatureHtml: await setSenderSignature(user.id, params.id, html) });
});
