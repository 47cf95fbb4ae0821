// Template variables as chips in the rich editor. A chip is an atomic inline node holding the exact Liquid output
// tag it stands for (`{{ first_name | default: "there" }}`); it is written back as that text, so the HTML saved is
// the template as typed, and the render engine (lib/templates/render.ts) still does the filling and escaping.
// Text that reads as an output tag (typed, pasted or loaded) becomes a chip; `{% … %}` tags stay text.
import { mergeAttributes, Node, type Editor } from "@tiptap/react";
import { DOMSerializer, type Node as PmNode } from "@tiptap/pm/model";
import { Plugin, PluginKey, type EditorState, type Transaction } from "@tiptap/pm/state";

const OUTPUT_TAG = /\{\{[^{}]*?\}\}/g;
const NAME = /^\{\{-?\s*([A-Za-z_][\w.]*)/;
const DEFAULT = /\|\s*default\s*:\s*(?:"([^"]*)"|'([^']*)')/;

/** The variable's name and default as a person reads them; the tag itself is the chip's whole truth. */
export function describeVariable(source: string): { name: string; fallback: string | null; label: string } {
  const name = NAME.exec(source)?.[1] ?? source.replace(/^\{\{-?|-?\}\}$/g, "").trim();
  const match = DEFAULT.exec(source);
  const fallback = match ? (match[1] ?? match[2] ?? "") : null;
  const label =
    fallback === null
      ? `Variable ${name}`
      : fallback
        ? `Variable ${name}, default “${fallback}”`
        : `Variable ${name}, default empty`;
  return { name, fallback, label };
}

/** The tag a chip inserted from the menu holds. */
export function variableTag(name: string, fallback?: string): string {
  const quoted = fallback ? ` | default: "${fallback.replace(/"/g, "'")}"` : "";
  return `{{ ${name}${quoted} }}`;
}

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    templateVariable: {
      /** Puts a chip for this tag where the selection is. */
      insertTemplateVariable: (source: string) => ReturnType;
    };
  }
}

export const TemplateVariable = Node.create({
  name: "templateVariable",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addAttributes() {
    return {
      source: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-template-variable") ?? "",
        renderHTML: () => ({}),
      },
    };
  },

  parseHTML() {
    return [{ tag: "span[data-template-variable]" }];
  },

  // A span holding the tag (what the clipboard carries); templateHtmlOf writes the tag alone.
  renderHTML({ node }) {
    const source = String(node.attrs.source);
    return ["span", { "data-template-variable": source }, source];
  },

  renderText({ node }) {
    return String(node.attrs.source);
  },

  addNodeView() {
    return ({ node, HTMLAttributes }) => {
      const source = String(node.attrs.source);
      const { name, fallback, label } = describeVariable(source);
      const dom = document.createElement("span");
      for (const [key, value] of Object.entries(
        mergeAttributes(HTMLAttributes, { class: "sv-variable-chip" }),
      ))
        dom.setAttribute(key, String(value));
      dom.setAttribute("contenteditable", "false");
      dom.setAttribute("role", "img");
      dom.setAttribute("aria-label", label);
      dom.setAttribute("data-template-variable", source);
      dom.title = source;
      dom.textContent = name;
      if (fallback !== null) {
        const hint = document.createElement("span");
        hint.className = "sv-variable-chip-default";
        hint.textContent = fallback ? ` · ${fallback}` : " · (empty)";
        dom.append(hint);
      }
      return { dom };
    };
  },

  addCommands() {
    return {
      insertTemplateVariable:
        (source) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs: { source } }),
    };
  },

  // One key removes the whole chip next to the cursor (without this, the browser's own deletion decides).
  addKeyboardShortcuts() {
    const remove = (side: "before" | "after") => () => {
      const { selection } = this.editor.state;
      if (!selection.empty) return false;
      const $pos = selection.$from;
      const node = side === "before" ? $pos.nodeBefore : $pos.nodeAfter;
      if (node?.type.name !== this.name) return false;
      const from = side === "before" ? $pos.pos - node.nodeSize : $pos.pos;
      return this.editor.commands.deleteRange({ from, to: from + node.nodeSize });
    };
    return { Backspace: remove("before"), Delete: remove("after") };
  },

  addProseMirrorPlugins() {
    const type = this.type;
    return [
      new Plugin({
        key: new PluginKey("templateVariableChips"),
        appendTransaction: (transactions, _old, state) =>
          transactions.some((t) => t.docChanged) ? chipsFromText(state, type) : null,
      }),
    ];
  },

  onCreate() {
    // The first content is not a transaction the plugin sees: its tags become chips here, out of the undo history.
    convertTextToChips(this.editor);
  },
});

/**
 * The template HTML to save: the document as Tiptap would write it, each chip replaced by its tag's own text,
 * so `{{ … }}` is saved exactly as typed and never inside a span. (ProseMirror's serializer cannot write a node
 * as bare text, hence the swap afterwards.)
 */
export function templateHtmlOf(editor: Editor): string {
  const fragment = DOMSerializer.fromSchema(editor.schema).serializeFragment(editor.state.doc.content);
  const container = document.createElement("div");
  container.append(fragment);
  for (const chip of container.querySelectorAll("span[data-template-variable]")) {
    chip.replaceWith(chip.getAttribute("data-template-variable") ?? "");
  }
  return container.innerHTML;
}

/** Turns every output tag written as text into a chip; null when there is none. */
function chipsFromText(state: EditorState, type: PmNode["type"]): Transaction | null {
  const found: { from: number; to: number; source: string; marks: PmNode["marks"] }[] = [];
  state.doc.descendants((node, pos, parent) => {
    if (!node.isText || !node.text || !parent || parent.type.spec.code) return;
    if (node.marks.some((m) => m.type.spec.code)) return;
    for (const match of node.text.matchAll(OUTPUT_TAG)) {
      const from = pos + match.index;
      found.push({ from, to: from + match[0].length, source: match[0], marks: node.marks });
    }
  });
  if (found.length === 0) return null;
  const tr = state.tr;
  // From the end: earlier positions stay valid while later ranges are replaced.
  for (const { from, to, source, marks } of found.reverse()) {
    tr.replaceWith(from, to, type.create({ source }, null, marks));
  }
  return tr.setMeta("addToHistory", false);
}

function convertTextToChips(editor: Editor): void {
  const tr = chipsFromText(editor.state, editor.schema.nodes.templateVariable!);
  if (tr) editor.view.dispatch(tr);
}
