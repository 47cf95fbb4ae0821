"use client";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import NextLink from "next/link";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { SafeHtmlFrame } from "@/components/ui/safe-html-frame";

// Under the editor: the From sender's signature (it follows the From; what the user typed is never touched) and
// the quoted original of a reply or forward. Both are sent after what the user writes, in that order.
export default function ComposeExtras({
  signatureHtml,
  senderLabel,
  quoteHtml,
  onRemoveQuote,
}: {
  signatureHtml: string | null;
  senderLabel: string;
  quoteHtml?: string;
  onRemoveQuote: () => void;
}) {
  return (
    <Box sx={{ display: "flex", flexDirection: "column", gap: 1.5 }}>
      <Box component="section" aria-label="Signature" data-testid="compose-signature">
        {signatureHtml ? (
          <>
            <Box sx={{ typography: "caption", color: "text.secondary", mb: 0.5 }}>
              Signature of {senderLabel} — added below your message ·{" "}
              <NextLink href="/settings/senders">Edit in Settings</NextLink>
            </Box>
            <SafeHtmlFrame html={signatureHtml} title="Signature" />
          </>
        ) : (
          <Box sx={{ typography: "caption", color: "text.secondary" }}>
            No signature for {senderLabel}. <NextLink href="/settings/senders">Add one in Settings</NextLink>
          </Box>
        )}
      </Box>
      {quoteHtml && (
        <Box component="section" aria-label="Quoted message" data-testid="compose-quote">
          <Box
            sx={{
              display: "flex",
              alignItems: "center",
              justifyContent: "space-between",
              flexWrap: "wrap",
              gap: 1,
            }}
          >
            <Box sx={{ typography: "caption", color: "text.secondary" }}>
              Quoted below your message and signature
            </Box>
            <Button size="small" onClick={onRemoveQuote} sx={phoneTouchTarget}>
              Remove quoted text
            </Button>
          </Box>
          <SafeHtmlFrame html={quoteHtml} title="Quoted message" />
        </Box>
      )}
    </Box>
  );
}
