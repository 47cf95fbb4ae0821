// POST /api/ai/rewrite — stream a rewrite of the selection or the whole body (server-sent events).
import { parseBody, withUser } from "@/lib/api/handler";
import { streamRewrite } from "@/lib/ai/assistant";
import { rewriteRequest } from "@/lib/validation/ai";

export const POST = withUser(async (req, { user }) =>
  streamRewrite(user.id, await parseBody(req, rewriteRequest), req.signal),
);
