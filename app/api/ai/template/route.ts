// POST /api/ai/template — a merge template drafted from an instruction, checked by the template engine (not saved).
import { parseBody, withUser } from "@/lib/api/handler";
import { draftTemplate } from "@/lib/ai/template-drafts";
import { templateDraftRequest } from "@/lib/validation/ai";

export const POST = withUser(async (req, { user }) =>
  Response.json({
    template: await draftTemplate(user.id, await parseBody(req, templateDraftRequest), req.signal),
  }),
);
