"use client";
// A text box with a label and helper text, as MUI's TextField (outlined) draws it. MUI's TextField also brings
// Select for its `select` mode, and with it Menu, Popover and Modal: about 24 KB gzip on the first load of every
// screen with a text box. This one is put together from the same parts TextField is made of, without Select;
// for a dropdown, use MUI's TextField with `select`.
import FormControl from "@mui/material/FormControl";
import FormHelperText from "@mui/material/FormHelperText";
import InputLabel from "@mui/material/InputLabel";
import OutlinedInput, { type OutlinedInputProps } from "@mui/material/OutlinedInput";
import type { SxProps, Theme } from "@mui/material/styles";
import {
  useId,
  type ChangeEvent,
  type FocusEvent,
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
} from "react";

type HtmlInputProps = InputHTMLAttributes<HTMLInputElement> & Record<`data-${string}`, string>;

export type TextFieldProps = {
  id?: string;
  name?: string;
  type?: string;
  label?: ReactNode;
  helperText?: ReactNode;
  placeholder?: string;
  autoComplete?: string;
  autoFocus?: boolean;
  required?: boolean;
  disabled?: boolean;
  error?: boolean;
  fullWidth?: boolean;
  size?: "small" | "medium";
  margin?: "none" | "dense" | "normal";
  multiline?: boolean;
  rows?: number;
  minRows?: number;
  maxRows?: number;
  value?: unknown;
  defaultValue?: unknown;
  inputRef?: Ref<HTMLInputElement>;
  onChange?: (event: ChangeEvent<HTMLInputElement>) => void;
  onBlur?: (event: FocusEvent<HTMLInputElement>) => void;
  onFocus?: (event: FocusEvent<HTMLInputElement>) => void;
  slotProps?: {
    htmlInput?: HtmlInputProps;
    input?: Partial<OutlinedInputProps>;
    inputLabel?: { shrink?: boolean };
  };
  sx?: SxProps<Theme>;
  className?: string;
};

export default function TextField({
  id: idOverride,
  label,
  helperText,
  required = false,
  disabled = false,
  error = false,
  fullWidth = false,
  size,
  margin,
  slotProps = {},
  sx,
  className,
  onChange,
  onBlur,
  onFocus,
  ...input
}: TextFieldProps) {
  const generatedId = useId();
  const id = idOverride ?? generatedId;
  const helperTextId = helperText ? `${id}-helper-text` : undefined;
  const shrink = slotProps.inputLabel?.shrink;
  return (
    <FormControl
      className={className}
      sx={sx}
      required={required}
      disabled={disabled}
      error={error}
      fullWidth={fullWidth}
      size={size}
      margin={margin}
      variant="outlined"
    >
      {label != null && label !== "" && (
        <InputLabel htmlFor={id} id={`${id}-label`} shrink={shrink}>
          {label}
        </InputLabel>
      )}
      <OutlinedInput
        {...input}
        id={id}
        label={label}
        notched={shrink}
        aria-describedby={helperTextId}
        // OutlinedInput types its handlers for inputs and text areas alike; single-line fields are inputs.
        onChange={onChange as OutlinedInputProps["onChange"]}
        onBlur={onBlur as OutlinedInputProps["onBlur"]}
        onFocus={onFocus as OutlinedInputProps["onFocus"]}
        inputProps={slotProps.htmlInput}
        {...slotProps.input}
      />
      {helperText && <FormHelperText id={helperTextId}>{helperText}</FormHelperText>}
    </FormControl>
  );
}
