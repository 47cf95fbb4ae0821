// POST /api/ai/check — the pre-send check (placeholders and attachments locally; tone and questions by AI).
import { parseBody, withUser } from "@/lib/api/handler";
import { preSendCheck } from "@/lib/ai/assistant";
import { checkRequest } from "@/lib/validation/ai";

export const POST = withUser(async (req, { user }) =>
  Response.json(
    await preSendCheck(user.id, await parseBody(req, checkRequest, { maxBytes: 256 * 1024 }), req.signal),
  ),
);
