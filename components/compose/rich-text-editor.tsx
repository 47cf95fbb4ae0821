"use client";
import CodeOutlined from "@mui/icons-material/CodeOutlined";
import FormatBold from "@mui/icons-material/FormatBold";
import FormatItalic from "@mui/icons-material/FormatItalic";
import FormatListBulleted from "@mui/icons-material/FormatListBulleted";
import FormatListNumbered from "@mui/icons-material/FormatListNumbered";
import FormatQuote from "@mui/icons-material/FormatQuote";
import InsertLink from "@mui/icons-material/InsertLink";
import TitleOutlined from "@mui/icons-material/TitleOutlined";
import Box from "@mui/material/Box";
import Divider from "@mui/material/Divider";
import ToggleButton from "@mui/material/ToggleButton";
import Tooltip from "@mui/material/Tooltip";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import { useNonce } from "@/components/layout/nonce-context";
import StarterKit from "@tiptap/starter-kit";
import { useEffect, type ReactNode } from "react";

type Props = {
  /** Used when the editor mounts; give the component a new key to start over with other content. */
  initialHtml?: string;
  onChange: (html: string, isEmpty: boolean) => void;
  /** Hands the editor to the AI tools (streamed drafts and rewrites). */
  onReady?: (editor: Editor | null) => void;
};

/** Tiptap WYSIWYG with a compact toolbar; loaded lazily so the compose page stays light. */
export default function RichTextEditor({ initialHtml = "", onChange, onReady }: Props) {
  const nonce = useNonce();
  const editor = useEditor({
    immediatelyRender: false,
    // Tiptap adds its base stylesheet as a <style> tag: the page's CSP allows it only with the nonce.
    injectNonce: nonce,
    extensions: [
      StarterKit.configure({
        heading: { levels: [1, 2, 3] },
        link: { openOnClick: false, autolink: true, protocols: ["mailto"], defaultProtocol: "https" },
      }),
    ],
    content: initialHtml,
    editorProps: {
      attributes: {
        "aria-label": "Message body",
        role: "textbox",
        "aria-multiline": "true",
        class: "sv-editor",
      },
    },
    onUpdate: ({ editor: e }) => onChange(e.getHTML(), e.isEmpty),
  });

  useEffect(() => {
    onReady?.(editor);
    return () => onReady?.(null);
  }, [editor, onReady]);

  return (
    <Box
      sx={{
        border: 1,
        borderColor: "divider",
        borderRadius: 1,
        "&:focus-within": { borderColor: "primary.main" },
      }}
    >
      {editor && <Toolbar editor={editor} />}
      <Divider />
      <Box
        sx={{
          minHeight: { xs: 220, md: 320 },
          px: 1.5,
          py: 1,
          "& .sv-editor": { outline: "none", minHeight: { xs: 200, md: 300 } },
          "& .sv-editor p": { my: 0.75 },
          "& .sv-editor blockquote": {
            borderLeft: 3,
            borderColor: "divider",
            pl: 1.5,
            ml: 0,
            color: "text.secondary",
          },
          "& .sv-editor pre, & .sv-editor code": {
            fontFamily: "ui-monospace, monospace",
            bgcolor: "action.hover",
            borderRadius: 0.5,
          },
          "& .sv-editor pre": { p: 1 },
        }}
      >
        <EditorContent editor={editor} />
      </Box>
    </Box>
  );
}

function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      heading: e.isActive("heading", { level: 2 }),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      blockquote: e.isActive("blockquote"),
      code: e.isActive("code"),
      link: e.isActive("link"),
    }),
  });

  function toggleLink() {
    if (editor.isActive("link")) {
      editor.chain().focus().unsetLink().run();
      return;
    }
    const url = window.prompt("Link address (https://…)");
    if (url) editor.chain().focus().extendMarkRange("link").setLink({ href: url }).run();
  }

  const buttons: { key: keyof typeof state; label: string; icon: ReactNode; run: () => void }[] = [
    {
      key: "bold",
      label: "Bold (Ctrl+B)",
      icon: <FormatBold />,
      run: () => editor.chain().focus().toggleBold().run(),
    },
    {
      key: "italic",
      label: "Italic (Ctrl+I)",
      icon: <FormatItalic />,
      run: () => editor.chain().focus().toggleItalic().run(),
    },
    {
      key: "heading",
      label: "Heading",
      icon: <TitleOutlined />,
      run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(),
    },
    {
      key: "bulletList",
      label: "Bulleted list",
      icon: <FormatListBulleted />,
      run: () => editor.chain().focus().toggleBulletList().run(),
    },
    {
      key: "orderedList",
      label: "Numbered list",
      icon: <FormatListNumbered />,
      run: () => editor.chain().focus().toggleOrderedList().run(),
    },
    {
      key: "blockquote",
      label: "Quote",
      icon: <FormatQuote />,
      run: () => editor.chain().focus().toggleBlockquote().run(),
    },
    {
      key: "code",
      label: "Code",
      icon: <CodeOutlined />,
      run: () => editor.chain().focus().toggleCode().run(),
    },
    { key: "link", label: "Link", icon: <InsertLink />, run: toggleLink },
  ];

  return (
    <Box role="toolbar" aria-label="Formatting" sx={{ display: "flex", flexWrap: "wrap", gap: 0.5, p: 0.5 }}>
      {buttons.map((b) => (
        <Tooltip key={b.key} title={b.label}>
          <ToggleButton
            value={b.key}
            size="small"
            selected={state[b.key]}
            onChange={b.run}
            aria-label={b.label}
            sx={{ border: 0 }}
          >
            {b.icon}
          </ToggleButton>
        </Tooltip>
      ))}
    </Box>
  );
}
