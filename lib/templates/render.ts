// Merge templates: Liquid (liquidjs), sandboxed. A template can read the row it is given and use Liquid's
// filters and tags (`{{ first_name | default: "there" }}`, `{% if company %}…{% endif %}`); it cannot read files
// (no include/render/layout source exists), reach prototypes (ownPropertyOnly), call code, or run away (parse,
// render and memory limits). Values written into the HTML body are HTML-escaped; the subject is plain text.
import { Liquid, type Template } from "liquidjs";

const limits = {
  parseLimit: 200_000, // characters of template
  renderLimit: 1_000, // milliseconds of rendering one row
  memoryLimit: 10_000_000, // roughly, characters a render may build up (loops, repeated strings)
};

const shared = {
  ...limits,
  ownPropertyOnly: true,
  strictFilters: true,
  strictVariables: false,
  // An empty CSV cell is "no value": `{% if company %}` is false for it (Liquid alone counts "" as true).
  jsTruthy: true,
  // An in-memory file system holding nothing: {% include %} and {% render %} find no file, ever.
  templates: {},
  cache: false,
};

const htmlEngine = new Liquid({ ...shared, outputEscape: "escape" });
const textEngine = new Liquid({ ...shared });
// Tags that read other templates have nothing to read here: refused when the template is parsed.
for (const engine of [htmlEngine, textEngine]) {
  for (const tag of ["include", "render", "layout", "block"]) {
    engine.registerTag(tag, {
      parse() {
        throw new Error(`{% ${tag} %} is not available in templates.`);
      },
      render() {},
    });
  }
}

/** Values a template sees: one CSV row's columns by their variable names. */
export type TemplateValues = Record<string, string>;

export type CompiledTemplate = {
  subject: Template[];
  html: Template[];
  /** Variables the subject or body reads, in order of first use. */
  variables: string[];
};

export class TemplateError extends Error {
  constructor(
    readonly part: "subject" | "html",
    message: string,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

/** Parses a template once; throws TemplateError naming the part and the Liquid error. */
export function compileTemplate(input: { subject: string; html: string }): CompiledTemplate {
  const subject = parsePart(textEngine, "subject", input.subject);
  const html = parsePart(htmlEngine, "html", liquidMarkupInHtml(input.html));
  const variables = [
    ...new Set([...textEngine.globalVariablesSync(subject), ...htmlEngine.globalVariablesSync(html)]),
  ];
  return { subject, html, variables };
}

export type RenderedMessage = { subject: string; html: string };

/** Renders one row. Synchronous: a template has no asynchronous source to wait for. */
export function renderTemplate(template: CompiledTemplate, values: TemplateValues): RenderedMessage {
  const subject = textEngine
    .renderSync(template.subject, values)
    .replace(/[\r\n]+/g, " ")
    .trim();
  return { subject, html: htmlEngine.renderSync(template.html, values) };
}

export { variableNameOf } from "@/lib/templates/variable-name";

function parsePart(engine: Liquid, part: "subject" | "html", source: string): Template[] {
  try {
    return engine.parse(source);
  } catch (error) {
    throw new TemplateError(part, `The ${part === "html" ? "body" : "subject"}: ${(error as Error).message}`);
  }
}

const ENTITIES: Record<string, string> = {
  "&quot;": '"',
  "&#39;": "'",
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&nbsp;": " ",
};

/**
 * The rich editor stores the body as HTML, where the quotes and comparisons inside `{{ … }}` and `{% … %}` may
 * arrive as entities (`default: &quot;there&quot;`, `a &gt; b`). Inside Liquid markup only, they are read as
 * the characters they stand for; text outside the markup is left exactly as written.
 */
export function liquidMarkupInHtml(html: string): string {
  return html.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, (markup) =>
    markup.replace(/&(?:quot|#39|amp|lt|gt|nbsp);/g, (entity) => ENTITIES[entity] ?? entity),
  );
}

/** Variables written out by `{{ name }}` (or `{{ name | filter }}`) without a `default:` to stand in for them. */
export function variablesShownWithoutDefault(source: string, variables: string[]): string[] {
  return variables.filter((v) => {
    const escaped = v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    // Shown only where it has a value: inside `{% if name %}…{% endif %}` an empty value never shows.
    const guarded = new RegExp(
      `\\{%-?\\s*if\\s+${escaped}\\s*-?%\\}[\\s\\S]*?\\{%-?\\s*endif\\s*-?%\\}`,
      "g",
    );
    const outputs = [
      ...source.replace(guarded, "").matchAll(new RegExp(`\\{\\{-?\\s*${escaped}\\b([^}]*)\\}\\}`, "g")),
    ];
    return outputs.some((m) => !/\|\s*default\s*:/.test(m[1] ?? ""));
  });
}
