// POST /api/messages/preview — a body as the recipient will get it: the sanitized HTML and its plain-text part.
import { parseBody, withUser } from "@/lib/api/handler";
import { plainTextOf } from "@/lib/mail/plain-text";
import { sanitizeEmailHtml } from "@/lib/mail/sanitize";
import { MAX_BODY_BYTES } from "@/lib/validation/messages";
import { previewBody } from "@/lib/validation/compose";

export const POST = withUser(async (req) => {
  const { html } = await parseBody(req, previewBody, { maxBytes: MAX_BODY_BYTES + 64 * 1024 });
  const sanitized = sanitizeEmailHtml(html);
  return Response.json({ html: sanitized, text: plainTextOf(sanitized) });
});
