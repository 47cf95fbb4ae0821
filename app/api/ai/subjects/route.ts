// POST /api/ai/subjects — three subject-line ideas for the message.
import { parseBody, withUser } from "@/lib/api/handler";
import { suggestSubjects } from "@/lib/ai/assistant";
import { subjectsRequest } from "@/lib/validation/ai";

export const POST = withUser(async (req, { user }) => {
  const { body } = await parseBody(req, subjectsRequest);
  return Response.json({ subjects: await suggestSubjects(user.id, body, req.signal) });
});
