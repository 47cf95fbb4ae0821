"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Typography from "@mui/material/Typography";
import type { ReactNode } from "react";

/**
 * A Settings list's states in one place: the load failed (with Retry), still loading, empty, or its items —
 * rendered by `children` only when there is at least one.
 */
export function LoadedList<T>({
  error,
  onRetry,
  items,
  loadingText,
  emptyText,
  children,
}: {
  error: string | null;
  onRetry: () => void;
  items: T[] | null;
  loadingText: string;
  emptyText: string;
  children: (items: T[]) => ReactNode;
}) {
  if (error) {
    return (
      <Alert
        severity="error"
        action={
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        }
      >
        {error}
      </Alert>
    );
  }
  if (items === null) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ p: 2 }} role="status">
        {loadingText}
      </Typography>
    );
  }
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
        {emptyText}
      </Typography>
    );
  }
  return <>{children(items)}</>;
}
