// GET /api/contacts?q= — people the user sent to and received from whose address or name starts with q, best first.
import { validationError, withUser } from "@/lib/api/handler";
import { suggestContacts } from "@/lib/contacts/contacts";
import { contactsQuery } from "@/lib/validation/contacts";

export const GET = withUser(async (req, { user }) => {
  const query = contactsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) throw validationError(query.error);
  return Response.json({ contacts: await suggestContacts(user.id, query.data.q, query.data.limit) });
});
