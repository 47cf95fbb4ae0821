// POST /api/ai/template-subjects — up to three subject lines for a merge template (each one the engine parses).
import { parseBody, withUser } from "@/lib/api/handler";
import { suggestTemplateSubjects } from "@/lib/ai/template-drafts";
import { templateSubjectsRequest } from "@/lib/validation/ai";

export const POST = withUser(async (req, { user }) =>
  Response.json({
    subjects: await suggestTemplateSubjects(
      user.id,
      await parseBody(req, templateSubjectsRequest, { maxBytes: 512 * 1024 }),
      req.signal,
    ),
  }),
);
