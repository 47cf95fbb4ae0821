// Template markup left in a one-off message (a template used from Compose, whose variables without a default
// stay as their tags): Send shows each before the message can go, so `{{ … }}` never leaves unseen.
import type { Finding } from "@/lib/validation/ai";

const TEMPLATE_TAG = /\{\{[^{}]*\}\}|\{%[^{}%]*%\}/g;

/** The distinct `{{ … }}` and `{% … %}` tags in the text, in order of first appearance. */
export function templateTagsIn(text: string): string[] {
  return [...new Set(text.match(TEMPLATE_TAG) ?? [])];
}

/** Each tag left in the text as a finding of Send's review dialog. */
export function unfilledTemplateFindings(text: string): Finding[] {
  return templateTagsIn(text).map((tag) => ({
    kind: "placeholder",
    message: `“${tag}” is template text with no value: replace it, or it goes out exactly as written.`,
  }));
}
