"use client";
import Autocomplete from "@mui/material/Autocomplete";
import Chip from "@mui/material/Chip";
import TextField from "@mui/material/TextField";
import { useState } from "react";
import {
  formatRecipient,
  isValidAddress,
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

/** Address chips: typing a comma, semicolon, Enter or leaving the field turns text into validated chips. */
export function RecipientField({ label, value, onChange, error, autoFocus }: Props) {
  const [input, setInput] = useState("");
  const invalid = value.filter((r) => !r.valid);
  const helper = invalid.length ? `Not a valid address: ${invalid.map((r) => r.raw).join(", ")}` : error;

  function add(parsed: RecipientChip[]) {
    if (parsed.length === 0) return;
    const seen = new Set(value.map((r) => r.address.toLowerCase()));
    onChange([...value, ...parsed.filter((r) => !seen.has(r.address.toLowerCase()))]);
  }

  function commit(text: string) {
    add(parseRecipients(text));
    setInput("");
  }

  return (
    <Autocomplete<RecipientChip, true, false, true>
      multiple
      freeSolo
      options={[]}
      value={value}
      inputValue={input}
      onInputChange={(_e, next, reason) => {
        if (reason === "reset") return;
        const { complete, rest } = takeCompleteRecipients(next);
        add(complete);
        setInput(rest);
      }}
      onChange={(_e, next) => {
        const chips = next.flatMap((item) => (typeof item === "string" ? parseRecipients(item) : [item]));
        onChange(chips);
        setInput("");
      }}
      getOptionLabel={(o) => (typeof o === "string" ? o : formatRecipient(o))}
      renderValue={(chips, getItemProps) =>
        chips.map((item, index) => {
          const chip = typeof item === "string" ? toChip(item) : item;
          const { key, ...itemProps } = getItemProps({ index });
          return (
            <Chip
              key={key}
              {...itemProps}
              size="small"
              label={formatRecipient(chip)}
              color={chip.valid ? "default" : "error"}
              variant={chip.valid ? "filled" : "outlined"}
              title={chip.valid ? chip.address : `${chip.raw} is not a valid email address`}
            />
          );
        })
      }
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          variant="outlined"
          size="small"
          autoFocus={autoFocus}
          error={invalid.length > 0 || !!error}
          helperText={helper}
          onBlur={() => commit(input)}
          slotProps={{
            ...params.slotProps,
            htmlInput: { ...params.slotProps.htmlInput, "aria-label": label, inputMode: "email" },
          }}
        />
      )}
    />
  );
}

function toChip(raw: string): RecipientChip {
  return { address: raw, raw, valid: isValidAddress(raw) };
}
