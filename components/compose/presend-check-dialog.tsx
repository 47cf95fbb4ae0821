"use client";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemText from "@mui/material/ListItemText";
import type { Editor } from "@tiptap/react";
import { useState } from "react";
import type { Finding } from "@/lib/validation/ai";

const titles: Record<Finding["kind"], string> = {
  missing_attachment: "Missing attachment",
  placeholder: "Placeholder left in",
  tone: "Tone",
  sentiment: "How it may come across",
  unanswered_question: "Unanswered question",
};

type Props = {
  findings: Finding[];
  editor: Editor | null;
  onEdit: () => void;
  onSendAnyway: () => void;
  /** Opens the file picker ("Attach a file" on a missing-attachment finding). */
  onAttach?: () => void;
};

/** What the pre-send check found, each with a one-click fix where there is one, or "Send anyway". */
export default function PreSendCheckDialog({ findings, editor, onEdit, onSendAnyway, onAttach }: Props) {
  const [fixed, setFixed] = useState<Set<number>>(new Set());

  function applyFix(index: number, fix: { find: string; replace: string }) {
    if (!editor || !replaceInEditor(editor, fix.find, fix.replace)) return;
    setFixed((s) => new Set(s).add(index));
  }

  return (
    <Dialog open onClose={onEdit} fullWidth maxWidth="sm">
      <DialogTitle>Before you send</DialogTitle>
      <DialogContent>
        <List dense aria-label="Pre-send findings">
          {findings.map((f, i) => (
            <ListItem
              key={i}
              data-testid="presend-finding"
              secondaryAction={
                f.kind === "missing_attachment" && onAttach ? (
                  <Button size="small" onClick={onAttach}>
                    Attach a file
                  </Button>
                ) : (
                  f.fix && (
                    <Button size="small" disabled={fixed.has(i)} onClick={() => applyFix(i, f.fix!)}>
                      {fixed.has(i) ? "Fixed" : "Fix"}
                    </Button>
                  )
                )
              }
            >
              <ListItemText
                primary={titles[f.kind]}
                secondary={f.message}
                sx={{ pr: f.fix || f.kind === "missing_attachment" ? 12 : 0 }}
              />
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onEdit}>Keep editing</Button>
        <Button variant="contained" onClick={onSendAnyway}>
          Send anyway
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Replaces the first occurrence of `find` inside one text run of the document. */
function replaceInEditor(editor: Editor, find: string, replace: string): boolean {
  let at: { from: number; to: number } | null = null;
  editor.state.doc.descendants((node, pos) => {
    if (at || !node.isText || !node.text) return !at;
    const index = node.text.indexOf(find);
    if (index >= 0) at = { from: pos + index, to: pos + index + find.length };
    return !at;
  });
  if (!at) return false;
  const { from, to } = at;
  editor.chain().focus().insertContentAt({ from, to }, replace).run();
  return true;
}
