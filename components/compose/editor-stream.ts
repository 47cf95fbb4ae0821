import type { Editor } from "@tiptap/react";
import { plainTextToHtml } from "@/lib/ai/text-to-html";

/**
 * Streams AI text into a range of the editor as it arrives, then settles it as ONE undo step: the live
 * updates stay out of the undo history, and the final text replaces the original range in a single change.
 */
export function startEditorStream(editor: Editor, range: { from: number; to: number }) {
  const original = editor.state.doc.slice(range.from, range.to);
  const from = range.from;
  let liveTo = range.to;
  let text = "";

  const replaceLive = (html: string) => {
    const before = editor.state.doc.content.size;
    editor
      .chain()
      .setMeta("addToHistory", false)
      .insertContentAt({ from, to: liveTo }, html, { updateSelection: false })
      .run();
    liveTo += editor.state.doc.content.size - before;
  };

  return {
    push(delta: string) {
      text += delta;
      replaceLive(plainTextToHtml(text) || "<p></p>");
    },
    /** Keeps what arrived (as one undoable change); with nothing, puts the original back. */
    finish() {
      const tr = editor.state.tr.replaceRange(from, liveTo, original).setMeta("addToHistory", false);
      editor.view.dispatch(tr);
      if (text.trim()) {
        editor
          .chain()
          .focus()
          .insertContentAt({ from, to: from + original.size }, plainTextToHtml(text))
          .run();
      }
      return text;
    },
  };
}
