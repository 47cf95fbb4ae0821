"use client";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import { navItems } from "@/components/layout/nav-items";

const shortcuts: { keys: string; what: string }[] = [
  ...navItems.map((item) => ({
    keys: item.key,
    what: item.href === "/compose" ? "Write a new message" : `Go to ${item.label}`,
  })),
  { keys: "/", what: "Search (in Sent)" },
  { keys: "r", what: "Reply (on a message)" },
  { keys: "a", what: "Reply all (on a message)" },
  { keys: "f", what: "Forward (on a message)" },
  { keys: "?", what: "Show this list" },
  { keys: "Esc", what: "Close a dialog or leave the search field" },
  { keys: "Ctrl Enter", what: "Send (in Compose; ⌘ Enter on a Mac)" },
];

/** The "?" dialog: every keyboard shortcut, none of which fires while typing. */
export default function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog open onClose={onClose} aria-labelledby="shortcuts-title" fullWidth maxWidth="xs">
      <DialogTitle id="shortcuts-title">Keyboard shortcuts</DialogTitle>
      <DialogContent>
        <Box component="dl" sx={{ m: 0, display: "grid", gridTemplateColumns: "auto 1fr", gap: 1.25 }}>
          {shortcuts.map(({ keys, what }) => (
            <Box key={keys} sx={{ display: "contents" }}>
              <Box component="dt" sx={{ display: "flex", gap: 0.5 }}>
                {keys.split(" ").map((k) => (
                  <Box
                    key={k}
                    component="kbd"
                    sx={{
                      px: 0.75,
                      minWidth: 24,
                      textAlign: "center",
                      border: 1,
                      borderColor: "divider",
                      borderRadius: 0.5,
                      fontFamily: "ui-monospace, monospace",
                      fontSize: 13,
                      bgcolor: "action.hover",
                    }}
                  >
                    {k}
                  </Box>
                ))}
              </Box>
              <Box component="dd" sx={{ m: 0 }}>
                {what}
              </Box>
            </Box>
          ))}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
