// POST /api/attachments?name=…&key=…[&inline=1] — stream one file (the request body) into storage (idempotent by key)
import { validationError, withUser } from "@/lib/api/handler";
import { uploadAttachment } from "@/lib/attachments/attachments";
import { uploadAttachmentQuery } from "@/lib/validation/attachments";

export const POST = withUser(async (req, { user }) => {
  const query = uploadAttachmentQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) {
    await req.body?.cancel().catch(() => undefined);
    throw validationError(query.error);
  }
  const result = await uploadAttachment(user.id, query.data, req.headers.get("content-type"), req.body);
  return Response.json(result, { status: result.replayed ? 200 : 201 });
});
