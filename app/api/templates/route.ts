// GET /api/templates — the user's merge templates; POST /api/templates — save a new one.
import { parseBody, withUser } from "@/lib/api/handler";
import { createTemplate, listTemplates } from "@/lib/templates/templates";
import { templateBody } from "@/lib/validation/templates";

export const GET = withUser(async (_req, { user }) =>
  Response.json({ templates: await listTemplates(user.id) }),
);

export const POST = withUser(async (req, { user }) =>
  Response.json(
    {
      template: await createTemplate(
        user.id,
        await parseBody(req, templateBody, { maxBytes: 6 * 1024 * 1024 }),
      ),
    },
    { status: 201 },
  ),
);
