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
import { EditorContent, useEditor, useEditorState, type Editor, type Extensions } from "@tiptap/react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { useNonce } from "@/components/layout/nonce-context";
import StarterKit from "@tiptap/starter-kit";
import dynamic from "next/dynamic";
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

const LinkDialog = dynamic(() => import("@/components/compose/link-dialog"), { ssr: false });

type Props = {
  /** Used when the editor mounts; give the component a new key to start over with other content. */
  initialHtml?: string;
  onChange: (html: string, isEmpty: boolean) => void;
  /** Hands the editor to the AI tools (streamed drafts and rewrites). */
  onReady?: (editor: Editor | null) => void;
  /** The editable area's accessible name. */
  label?: string;
  /** More nodes or marks (the template editor's variable chips); read when the editor mounts. */
  extensions?: Extensions;
  /** How the document becomes the HTML handed to onChange; Tiptap's own HTML unless given. */
  toHtml?: (editor: Editor) => string;
};

/** Tiptap WYSIWYG with a compact toolbar; loaded lazily so the compose page stays light. */
export default function RichTextEditor({
  initialHtml = "",
  onChange,
  onReady,
  label = "Message body",
  extensions = [],
  toHtml = (e) => e.getHTML(),
}: Props) {
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
      ...extensions,
    ],
    content: initialHtml,
    editorProps: {
      attributes: {
        "aria-label": label,
        role: "textbox",
        "aria-multiline": "true",
        class: "sv-editor",
      },
    },
    onUpdate: ({ editor: e }) => onChange(toHtml(e), e.isEmpty),
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
          // Template variables (components/campaigns/template-variable.ts): one chip each, its default beside.
          "& .sv-variable-chip": {
            display: "inline-block",
            px: 0.75,
            mx: 0.25,
            borderRadius: 2,
            border: 1,
            borderColor: "primary.main",
            bgcolor: "action.selected",
            color: "text.primary",
            fontSize: "0.875em",
            lineHeight: 1.6,
            whiteSpace: "nowrap",
            cursor: "default",
          },
          "& .sv-variable-chip-default": { color: "text.secondary" },
          "& .sv-variable-chip.ProseMirror-selectednode": {
            outline: "2px solid",
            outlineColor: "primary.main",
          },
        }}
      >
        <EditorContent editor={editor} />
      </Box>
    </Box>
  );
}

/**
 * The formatting toolbar: one tab stop, arrow keys (and Home/End) move between its buttons (the WAI-ARIA toolbar
 * pattern), and the last button used keeps the tab stop.
 */
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
  const [focusIndex, setFocusIndex] = useState(0);
  const buttonRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const [linkHref, setLinkHref] = useState<string | null>(null);

  function openLinkDialog() {
    setLinkHref((editor.getAttributes("link").href as string | undefined) ?? "");
  }

  function applyLink(href: string) {
    setLinkHref(null);
    const chain = editor.chain().focus().extendMarkRange("link");
    if (editor.state.selection.empty && !editor.isActive("link")) {
      // Nothing selected: the address itself becomes the linked text.
      chain
        .insertContent({
          type: "text",
          text: href.replace(/^mailto:/, ""),
          marks: [{ type: "link", attrs: { href } }],
        })
        .run();
    } else {
      chain.setLink({ href }).run();
    }
  }

  function removeLink() {
    setLinkHref(null);
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
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
    { key: "link", label: "Link", icon: <InsertLink />, run: openLinkDialog },
  ];

  function moveFocus(event: KeyboardEvent) {
    const last = buttons.length - 1;
    const next =
      event.key === "ArrowRight" || event.key === "ArrowDown"
        ? (focusIndex + 1) % buttons.length
        : event.key === "ArrowLeft" || event.key === "ArrowUp"
          ? (focusIndex - 1 + buttons.length) % buttons.length
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    setFocusIndex(next);
    buttonRefs.current[next]?.focus();
  }

  return (
    <>
      <Box
        role="toolbar"
        aria-label="Formatting"
        aria-orientation="horizontal"
        onKeyDown={moveFocus}
        sx={{ display: "flex", flexWrap: "wrap", gap: 0.5, p: 0.5 }}
      >
        {buttons.map((b, index) => (
          <Tooltip key={b.key} title={b.label}>
            <ToggleButton
              ref={(node) => {
                buttonRefs.current[index] = node;
              }}
              value={b.key}
              size="small"
              selected={state[b.key]}
              onChange={b.run}
              onFocus={() => setFocusIndex(index)}
              tabIndex={index === focusIndex ? 0 : -1}
              aria-label={b.label}
              aria-haspopup={b.key === "link" ? "dialog" : undefined}
              sx={{ border: 0, minWidth: { xs: 44, sm: 0 }, ...phoneTouchTarget }}
            >
              {b.icon}
            </ToggleButton>
          </Tooltip>
        ))}
      </Box>
      {linkHref !== null && (
        <LinkDialog
          initialHref={linkHref}
          onApply={applyLink}
          onRemove={linkHref ? removeLink : undefined}
          onCancel={() => {
            setLinkHref(null);
            editor.commands.focus();
          }}
        />
      )}
    </>
  );
}
