"use client";
import Box from "@mui/material/Box";
import { useRef, useState, type ChangeEvent, type ClipboardEvent, type KeyboardEvent } from "react";
import { bareControl, FieldFrame } from "@/components/compose/field-frame";
import {
  formatRecipient,
  parseRecipients,
  takeCompleteRecipients,
  type RecipientChip,
} from "@/lib/compose/recipients";

type Props = {
  label: string;
  value: RecipientChip[];
  onChange: (value: RecipientChip[]) => void;
  error?: string;
  autoFocus?: boolean;
};

/**
 * Address chips: a comma, semicolon, Enter or leaving the field turns the text into validated chips;
 * Backspace in an empty field removes the last one; pasted lists are split.
 */
export function RecipientField({ label, value, onChange, error, autoFocus }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const invalid = value.filter((r) => !r.valid);
  const message = invalid.length ? `Not a valid address: ${invalid.map((r) => r.raw).join(", ")}` : error;

  function add(parsed: RecipientChip[]) {
    if (parsed.length === 0) return;
    const seen = new Set(value.map((r) => r.address.toLowerCase()));
    const fresh: RecipientChip[] = [];
    for (const r of parsed) {
      if (seen.has(r.address.toLowerCase())) continue;
      seen.add(r.address.toLowerCase());
      fresh.push(r);
    }
    onChange([...value, ...fresh]);
  }

  function commit() {
    add(parseRecipients(text));
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      if (text.trim()) {
        event.preventDefault();
        commit();
      }
    } else if (event.key === "Backspace" && text === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  }

  function onTextChange(next: string) {
    const { complete, rest } = takeCompleteRecipients(next);
    add(complete);
    setText(rest);
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    if (!/[,;\n]/.test(pasted)) return;
    event.preventDefault();
    add(parseRecipients(text + pasted));
    setText("");
  }

  return (
    <FieldFrame label={label} error={message} onClick={() => input.current?.focus()}>
      {({ id, helpId }) => (
        <>
          {value.map((chip, index) => (
            <AddressChip
              key={`${chip.address}-${index}`}
              chip={chip}
              onRemove={() => onChange(value.filter((_, i) => i !== index))}
            />
          ))}
          <Box
            component="input"
            ref={input}
            id={id}
            type="text"
            value={text}
            onChange={(e: ChangeEvent<HTMLInputElement>) => onTextChange(e.target.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            onBlur={commit}
            autoFocus={autoFocus}
            aria-label={label}
            aria-invalid={!!message}
            aria-describedby={helpId}
            inputMode="email"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            sx={bareControl}
          />
        </>
      )}
    </FieldFrame>
  );
}

function AddressChip({ chip, onRemove }: { chip: RecipientChip; onRemove: () => void }) {
  const text = formatRecipient(chip);
  return (
    <Box
      component="span"
      title={chip.valid ? chip.address : `${chip.raw} is not a valid email address`}
      sx={{
        display: "inline-flex",
        alignItems: "center",
        gap: 0.5,
        maxWidth: "100%",
        pl: 1.25,
        pr: 0.25,
        height: 26,
        borderRadius: 13,
        fontSize: 13,
        border: 1,
        borderColor: chip.valid ? "transparent" : "error.main",
        bgcolor: chip.valid ? "action.selected" : "transparent",
        color: chip.valid ? "text.primary" : "error.main",
      }}
    >
      <Box component="span" sx={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
        {text}
      </Box>
      <Box
        component="button"
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${text}`}
        sx={{
          display: "grid",
          placeItems: "center",
          width: 20,
          height: 20,
          p: 0,
          border: 0,
          borderRadius: "50%",
          cursor: "pointer",
          bgcolor: "action.disabled",
          color: "background.paper",
          fontSize: 14,
          lineHeight: 1,
          "&:hover, &:focus-visible": { bgcolor: "text.secondary" },
        }}
      >
        ×
      </Box>
    </Box>
  );
}
