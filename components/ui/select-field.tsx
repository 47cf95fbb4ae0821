"use client";
// A dropdown as a native <select>, in the same outlined frame as components/ui/text-field.tsx. MUI's TextField
// with `select` draws its own menu, which brings Select, Menu, Popover and Modal (20–35 KB gzip on a screen's
// first load); a native select needs none of it, and on phones it opens the system's own picker.
// Options are <option> elements.
import FormControl from "@mui/material/FormControl";
import FormHelperText from "@mui/material/FormHelperText";
import InputLabel from "@mui/material/InputLabel";
import NativeSelect from "@mui/material/NativeSelect";
import OutlinedInput from "@mui/material/OutlinedInput";
import type { SxProps, Theme } from "@mui/material/styles";
import { useId, type ChangeEvent, type ReactNode, type SelectHTMLAttributes } from "react";

type HtmlSelectProps = SelectHTMLAttributes<HTMLSelectElement> & Record<`data-${string}`, string>;

export type SelectFieldProps = {
  id?: string;
  name?: string;
  label: ReactNode;
  helperText?: ReactNode;
  value?: string | number;
  defaultValue?: string | number;
  disabled?: boolean;
  required?: boolean;
  fullWidth?: boolean;
  size?: "small" | "medium";
  onChange?: (event: ChangeEvent<HTMLSelectElement>) => void;
  /** Attributes of the <select> itself. */
  htmlSelect?: HtmlSelectProps;
  sx?: SxProps<Theme>;
  children: ReactNode;
};

export default function SelectField({
  id: idOverride,
  name,
  label,
  helperText,
  value,
  defaultValue,
  disabled = false,
  required = false,
  fullWidth = false,
  size,
  onChange,
  htmlSelect,
  sx,
  children,
}: SelectFieldProps) {
  const generatedId = useId();
  const id = idOverride ?? generatedId;
  const helperTextId = helperText ? `${id}-helper-text` : undefined;
  return (
    <FormControl
      sx={sx}
      disabled={disabled}
      required={required}
      fullWidth={fullWidth}
      size={size}
      variant="outlined"
    >
      {/* A select always shows its choice, so its label always sits on the frame. */}
      <InputLabel htmlFor={id} shrink>
        {label}
      </InputLabel>
      <NativeSelect
        input={<OutlinedInput label={label} notched />}
        value={value}
        defaultValue={defaultValue}
        onChange={onChange}
        inputProps={{ ...htmlSelect, id, name, "aria-describedby": helperTextId }}
      >
        {children}
      </NativeSelect>
      {helperText && <FormHelperText id={helperTextId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}
