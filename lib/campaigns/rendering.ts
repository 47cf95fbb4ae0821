import "server-only";
import { compileTemplate, type CompiledTemplate } from "@/lib/templates/render";

// A campaign's template is parsed once per version (its updatedAt), not once per row.
const compiled = new Map<string, CompiledTemplate>();

export function compiledCampaignTemplate(campaign: {
  id: string;
  updatedAt: Date;
  subject: string;
  html: string;
}): CompiledTemplate {
  const key = `${campaign.id}:${campaign.updatedAt.getTime()}`;
  let template = compiled.get(key);
  if (!template) {
    template = compileTemplate(campaign);
    if (compiled.size >= 32) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, template);
  }
  return template;
}
