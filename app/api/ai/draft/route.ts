// POST /api/ai/draft — stream an email drafted from the user's instruction (server-sent events).
import { parseBody, withUser } from "@/lib/api/handler";
import { streamDraft } from "@/lib/ai/assistant";
import { draftRequest } from "@/lib/validation/ai";

export const POST = withUser(async (req, { user }) =>
  streamDraft(user.id, await parseBody(req, draftRequest), req.signal),
);
