"use client";
import Box from "@mui/material/Box";
import { useId, type ReactNode } from "react";

// Compose's header fields as a mail client shows them: a bordered row with its label on the left
// ("From", "To", "Subject"). Plain elements, so Compose's first load stays small.

type Props = {
  label: string;
  error?: string;
  /** Renders the control; it must use the given id (the label points at it). */
  children: (ids: { id: string; helpId: string | undefined }) => ReactNode;
  onClick?: () => void;
};

export function FieldFrame({ label, error, children, onClick }: Props) {
  const id = useId();
  const helpId = error ? `${id}-help` : undefined;
  return (
    <Box>
      <Box
        onClick={onClick}
        sx={{
          display: "flex",
          flexWrap: "wrap",
          alignItems: "center",
          gap: 0.5,
          minHeight: { xs: 44, sm: 42 },
          minWidth: 0,
          px: 1.25,
          py: 0.5,
          border: 1,
          borderRadius: 1,
          borderColor: error ? "error.main" : "action.disabled",
          bgcolor: "background.paper",
          "&:hover": { borderColor: error ? "error.main" : "text.primary" },
          "&:focus-within": {
            borderColor: error ? "error.main" : "primary.main",
            boxShadow: (t) => `inset 0 0 0 1px ${error ? t.palette.error.main : t.palette.primary.main}`,
          },
        }}
      >
        <Box component="label" htmlFor={id} sx={{ color: "text.secondary", fontSize: 14, minWidth: 56 }}>
          {label}
        </Box>
        {children({ id, helpId })}
      </Box>
      {error && (
        <Box id={helpId} sx={{ color: "error.main", fontSize: 12, mt: 0.5, mx: 1.5 }}>
          {error}
        </Box>
      )}
    </Box>
  );
}

/** Style for a bare input or select inside a FieldFrame. */
export const bareControl = {
  flex: "1 0 140px",
  minWidth: 0,
  border: 0,
  outline: 0,
  bgcolor: "transparent",
  color: "text.primary",
  font: "inherit",
  fontSize: 15,
  py: 0.75,
} as const;
