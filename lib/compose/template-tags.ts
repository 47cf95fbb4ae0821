// Template markup left in a one-off message (a template used from Compose, whose variables without a default
// stay as their tags): Send shows each before the message can go, so `{{ … }}` never leaves unseen.
const TEMPLATE_TAG = /\{\{[^{}]*\}\}|\{%[^{}%]*%\}/g;

/** The distinct `{{ … }}` and `{% … %}` tags in the text, in order of first appearance. */
export function templateTagsIn(text: string): string[] {
  return [...new Set(text.match(TEMPLATE_TAG) ?? [])];
}
