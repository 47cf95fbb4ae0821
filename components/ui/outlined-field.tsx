"use client";
import FormControl from "@mui/material/FormControl";
import FormHelperText from "@mui/material/FormHelperText";
import InputLabel from "@mui/material/InputLabel";
import NativeSelect from "@mui/material/NativeSelect";
import OutlinedInput from "@mui/material/OutlinedInput";
import { useId, type ReactNode } from "react";

// Small outlined fields built from MUI's parts. TextField would also pull in Select, Menu and Popover,
// which Compose does not need on its first load.

type Common = { label: string; error?: string; helperText?: string };

export function OutlinedTextField({
  label,
  error,
  helperText,
  value,
  onChange,
  maxLength,
}: Common & { value: string; onChange: (value: string) => void; maxLength?: number }) {
  const id = useId();
  const help = error ?? helperText;
  return (
    <FormControl size="small" error={!!error} fullWidth>
      <InputLabel htmlFor={id}>{label}</InputLabel>
      <OutlinedInput
        id={id}
        label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        inputProps={{ maxLength, "aria-describedby": help ? `${id}-help` : undefined }}
      />
      {help && <FormHelperText id={`${id}-help`}>{help}</FormHelperText>}
    </FormControl>
  );
}

export function NativeSelectField({
  label,
  error,
  value,
  onChange,
  children,
}: Common & { value: string; onChange: (value: string) => void; children: ReactNode }) {
  const id = useId();
  return (
    <FormControl size="small" error={!!error} fullWidth>
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <NativeSelect
        value={value}
        onChange={(e) => onChange(e.target.value)}
        input={<OutlinedInput id={id} label={label} notched />}
      >
        {children}
      </NativeSelect>
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
