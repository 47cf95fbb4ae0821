// GET /api/account/audit?cursor=&limit= — the user's security events, newest first.
import { validationError, withUser } from "@/lib/api/handler";
import { listAuditEvents } from "@/lib/audit/events";
import { auditQuery } from "@/lib/validation/auth";

export const GET = withUser(async (req, { user }) => {
  const query = auditQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json(await listAuditEvents(user.id, query.data));
});
