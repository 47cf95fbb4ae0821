"use client";
import Button from "@mui/material/Button";
import Snackbar from "@mui/material/Snackbar";
import NextLink from "next/link";
import { useEffect, useState } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";

/**
 * The word after Send: queued on the server (with a link to it) or waiting in the Outbox, with Undo while the
 * message can still be taken back. With `countdown`, the text counts the seconds until it leaves.
 */
export default function SendNotice({
  text,
  href,
  action,
  undoUntil,
  countdown = false,
  onUndo,
  onClose,
}: {
  text: string;
  href?: string;
  action?: string;
  undoUntil?: number;
  countdown?: boolean;
  onUndo: () => void;
  onClose: () => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  const undoLeft = undoUntil ? Math.max(0, undoUntil - now) : 0;

  useEffect(() => {
    if (!undoUntil) return;
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= undoUntil) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [undoUntil]);

  const seconds = Math.ceil(undoLeft / 1000);
  return (
    <Snackbar
      open
      data-testid="send-notice"
      // Never over Send nor the navigation: on phones and tablets (bottom navigation below md) it sits above
      // the navigation bar; on desktops at the bottom right, away from Send at the left of the form.
      anchorOrigin={{ vertical: "bottom", horizontal: "right" }}
      sx={{
        bottom: { xs: "calc(68px + env(safe-area-inset-bottom))", md: 24 },
        maxWidth: { md: 420 },
      }}
      // Stays while Undo is possible, then the usual few seconds.
      autoHideDuration={undoLeft > 0 ? null : 8000}
      onClose={(_event, reason) => {
        if (reason !== "clickaway") onClose();
      }}
      message={<span role="status">{countdown && undoLeft > 0 ? `Sending in ${seconds} s…` : text}</span>}
      action={
        <>
          {undoLeft > 0 && (
            <Button
              color="inherit"
              size="small"
              onClick={onUndo}
              sx={{ ...phoneTouchTarget, fontWeight: 700 }}
            >
              Undo
            </Button>
          )}
          {href && action && (
            <Button color="inherit" size="small" component={NextLink} href={href} sx={phoneTouchTarget}>
              {action}
            </Button>
          )}
        </>
      }
    />
  );
}
