// @vitest-environment happy-dom
import { Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { afterEach, describe, expect, it } from "vitest";
import {
  describeVariable,
  TemplateVariable,
  templateHtmlOf,
  variableTag,
} from "@/components/campaigns/template-variable";
import { compileTemplate, renderTemplate } from "@/lib/templates/render";

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

/** An editor with the template's HTML, once Tiptap has finished creating it (its tags made chips then). */
async function open(html: string): Promise<Editor> {
  const editor = new Editor({
    element: document.createElement("div"),
    extensions: [StarterKit, TemplateVariable],
    content: html,
  });
  editors.push(editor);
  await new Promise((resolve) => editor.on("create", resolve));
  return editor;
}

function chips(editor: Editor): string[] {
  const found: string[] = [];
  editor.state.doc.descendants((node) => {
    if (node.type.name === "templateVariable") found.push(String(node.attrs.source));
  });
  return found;
}

describe("template variables as chips", () => {
  it.each([
    ["a plain variable", "<p>Hi {{ first_name }}, welcome.</p>", ["{{ first_name }}"]],
    ["no spaces", "<p>Hi {{first_name}}</p>", ["{{first_name}}"]],
    ["a default", '<p>Hi {{ first_name | default: "there" }}!</p>', ['{{ first_name | default: "there" }}']],
    [
      "a conditional stays text, its output tags become chips",
      "<p>{% if company %}from {{ company }}{% endif %} and {{ city }}</p>",
      ["{{ company }}", "{{ city }}"],
    ],
    [
      "marks around a chip",
      "<p><strong>Dear {{ first_name }}</strong> <em>{{ last_name }}</em></p>",
      ["{{ first_name }}", "{{ last_name }}"],
    ],
    ["lists", "<ul><li><p>{{ a }}</p></li><li><p>{{ b }}</p></li></ul><p>Thanks</p>", ["{{ a }}", "{{ b }}"]],
    ["no tag at all", "<p>Plain text, {not a tag}</p>", []],
  ])("%s: the HTML comes back exactly as it went in", async (_label, html, expectedChips) => {
    const editor = await open(html);
    expect(chips(editor)).toEqual(expectedChips);
    expect(templateHtmlOf(editor)).toBe(html);
    // And again through a second editor: what was saved opens as the same chips.
    const reopened = await open(templateHtmlOf(editor));
    expect(chips(reopened)).toEqual(expectedChips);
    expect(templateHtmlOf(reopened)).toBe(html);
  });

  it("a tag inside code stays text (no chip)", async () => {
    const html = "<pre><code>{{ raw }}</code></pre><p><code>{{ inline }}</code></p>";
    const editor = await open(html);
    expect(chips(editor)).toEqual([]);
    expect(templateHtmlOf(editor)).toBe(html);
  });

  it("inserts a chip from the menu, and typing a whole tag makes one", async () => {
    const editor = await open("<p>Hi</p>");
    editor
      .chain()
      .focus("end")
      .insertContent(" ")
      .insertTemplateVariable(variableTag("first_name", "there"))
      .run();
    editor.chain().insertContent(" from {{ company }}").run();
    expect(chips(editor)).toEqual(['{{ first_name | default: "there" }}', "{{ company }}"]);
    expect(templateHtmlOf(editor)).toBe('<p>Hi {{ first_name | default: "there" }} from {{ company }}</p>');
  });

  it("Backspace right after a chip deletes it whole", async () => {
    const editor = await open("<p>Hi {{ first_name }}</p>");
    editor.commands.focus("end");
    editor.commands.keyboardShortcut("Backspace");
    expect(chips(editor)).toEqual([]);
    expect(templateHtmlOf(editor)).toBe("<p>Hi </p>");
  });

  it("the chip in the page has an accessible label and is not editable text", async () => {
    const editor = await open('<p>{{ first_name | default: "there" }}</p>');
    const chip = editor.view.dom.querySelector(".sv-variable-chip")!;
    expect(chip.getAttribute("aria-label")).toBe("Variable first_name, default “there”");
    expect(chip.getAttribute("contenteditable")).toBe("false");
  });

  it("what the editor saves still renders through the engine, escaping the values", async () => {
    const editor = await open(
      '<p>Hi {{ first_name | default: "there" }}{% if company %} of {{ company }}{% endif %}</p>',
    );
    const template = compileTemplate({ subject: "s", html: templateHtmlOf(editor) });
    expect(renderTemplate(template, { first_name: "<b>Ann</b>", company: "A&B" }).html).toBe(
      "<p>Hi &lt;b&gt;Ann&lt;/b&gt; of A&amp;B</p>",
    );
    expect(renderTemplate(template, {}).html).toBe("<p>Hi there</p>");
  });

  it.each([
    ["{{ first_name }}", "first_name", null, "Variable first_name"],
    ['{{ first_name | default: "there" }}', "first_name", "there", "Variable first_name, default “there”"],
    ["{{ n | default: '' }}", "n", "", "Variable n, default empty"],
  ])("describes %s", (source, name, fallback, label) => {
    expect(describeVariable(source)).toEqual({ name, fallback, label });
  });
});
