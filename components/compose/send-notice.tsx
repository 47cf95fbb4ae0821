"use client";
import Button from "@mui/material/Button";
import Snackbar from "@mui/material/Snackbar";
import NextLink from "next/link";

/** The word after Send: delivered to the server (with a link to it), or waiting in the Outbox. */
export default function SendNotice({
  text,
  href,
  action,
  onClose,
}: {
  text: string;
  href: string;
  action: string;
  onClose: () => void;
}) {
  return (
    <Snackbar
      open
      autoHideDuration={8000}
      onClose={onClose}
      message={text}
      action={
        <Button color="inherit" size="small" component={NextLink} href={href}>
          {action}
        </Button>
      }
    />
  );
}
