// GET /api/v1/templates — the account's merge templates; POST — save a new one.
import { parseBody } from "@/lib/api/handler";
import { withApiKey } from "@/lib/api-v1/handler";
import { createTemplate, listTemplates } from "@/lib/templates/templates";
import { templateBody } from "@/lib/validation/templates";

export const GET = withApiKey("templates:manage", async (_req, { principal }) =>
  Response.json({ templates: await listTemplates(principal.userId) }),
);

export const POST = withApiKey("templates:manage", async (req, { principal }) => {
  const body = await parseBody(req, templateBody, { maxBytes: 6 * 1024 * 1024 });
  return Response.json({ template: await createTemplate(principal.userId, body) }, { status: 201 });
});
