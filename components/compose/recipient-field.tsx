"use client";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import FormHelperText from "@mui/material/FormHelperText";
import InputBase from "@mui/material/InputBase";
import { useId, useState, type ClipboardEvent, type KeyboardEvent } from "react";
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
 * Backspace in an empty field removes the last one; pasted lists are split. (A plain input rather than an
 * Autocomplete keeps Compose's first load small.)
 */
export function RecipientField({ label, value, onChange, error, autoFocus }: Props) {
  const id = useId();
  const [input, setInput] = useState("");
  const invalid = value.filter((r) => !r.valid);
  const helper = invalid.length ? `Not a valid address: ${invalid.map((r) => r.raw).join(", ")}` : error;
  const hasError = invalid.length > 0 || !!error;

  function add(parsed: RecipientChip[]) {
    if (parsed.length === 0) return;
    const seen = new Set(value.map((r) => r.address.toLowerCase()));
    const fresh = parsed.filter(
      (r) => !seen.has(r.address.toLowerCase()) && seen.add(r.address.toLowerCase()),
    );
    onChange([...value, ...fresh]);
  }

  function commit() {
    add(parseRecipients(input));
    setInput("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      if (input.trim()) {
        event.preventDefault();
        commit();
      }
    } else if (event.key === "Backspace" && input === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  }

  function onTextChange(next: string) {
    const { complete, rest } = takeCompleteRecipients(next);
    add(complete);
    setInput(rest);
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    if (!/[,;\n]/.test(pasted)) return;
    event.preventDefault();
    add(parseRecipients(input + pasted));
    setInput("");
  }

  return (
    <Box>
      <Box
        onClick={() => document.getElementById(id)?.focus()}
        sx={{
          position: "relative",
          display: "flex",
          flexWrap: "wrap",
          alignItems: "center",
          gap: 0.5,
          minHeight: 40,
          px: 1,
          py: 0.5,
          border: 1,
          borderRadius: 1,
          borderColor: hasError ? "error.main" : "action.disabled",
          "&:hover": { borderColor: hasError ? "error.main" : "text.primary" },
          "&:focus-within": {
            borderColor: hasError ? "error.main" : "primary.main",
            boxShadow: (t) => `inset 0 0 0 1px ${hasError ? t.palette.error.main : t.palette.primary.main}`,
          },
          cursor: "text",
        }}
      >
        <Box component="label" htmlFor={id} sx={{ color: "text.secondary", fontSize: 14, mr: 0.5 }}>
          {label}
        </Box>
        {value.map((chip, index) => (
          <Chip
            key={`${chip.address}-${index}`}
            size="small"
            label={formatRecipient(chip)}
            color={chip.valid ? "default" : "error"}
            variant={chip.valid ? "filled" : "outlined"}
            title={chip.valid ? chip.address : `${chip.raw} is not a valid email address`}
            onDelete={() => onChange(value.filter((_, i) => i !== index))}
          />
        ))}
        <InputBase
          id={id}
          value={input}
          onChange={(e) => onTextChange(e.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={commit}
          autoFocus={autoFocus}
          sx={{ flex: "1 0 140px", fontSize: 15 }}
          inputProps={{
            "aria-label": label,
            "aria-invalid": hasError,
            "aria-describedby": helper ? `${id}-help` : undefined,
            inputMode: "email",
            autoComplete: "off",
            autoCapitalize: "none",
            spellCheck: false,
          }}
        />
      </Box>
      {helper && (
        <FormHelperText id={`${id}-help`} error={hasError} sx={{ mx: 1.75 }}>
          {helper}
        </FormHelperText>
      )}
    </Box>
  );
}
