// POST /api/templates/preview — a template filled from sample values, as a recipient would get it.
import { ApiError } from "@/lib/api/errors";
import { parseBody, withUser } from "@/lib/api/handler";
import { compileTemplate, renderTemplate, TemplateError } from "@/lib/templates/render";
import { checkedTemplate } from "@/lib/templates/templates";
import { templatePreviewBody } from "@/lib/validation/templates";

export const POST = withUser(async (req) => {
  const input = await parseBody(req, templatePreviewBody, { maxBytes: 6 * 1024 * 1024 });
  const template = compileTemplate(checkedTemplate(input));
  try {
    return Response.json({ preview: renderTemplate(template, input.values), variables: template.variables });
  } catch (error) {
    if (error instanceof TemplateError || error instanceof Error) {
      throw new ApiError("validation_failed", `The template could not be filled: ${error.message}`);
    }
    throw error;
  }
});
