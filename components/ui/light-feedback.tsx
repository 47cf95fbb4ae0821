"use client";
import Box from "@mui/material/Box";
import type { ReactNode } from "react";

// Lightweight stand-ins for MUI's Alert and Skeleton on screens whose first load is budgeted (every screen:
// lib/build/first-load-report.ts). MUI's Alert brings its close button and five icons into a screen's first load.

const tones = {
  error: { bg: "#fdecea", fg: "#611a15", border: "#f5c2c0" },
  info: { bg: "#e8f1fb", fg: "#0d3c61", border: "#b9d4f1" },
  warning: { bg: "#fff4e5", fg: "#663c00", border: "#ffd599" },
} as const;

export function InlineMessage({
  tone,
  children,
  "data-testid": testId,
}: {
  tone: keyof typeof tones;
  children: ReactNode;
  "data-testid"?: string;
}) {
  const c = tones[tone];
  return (
    <Box
      data-testid={testId}
      role={tone === "error" ? "alert" : "status"}
      sx={{
        px: 2,
        py: 1.25,
        borderRadius: 1,
        border: 1,
        borderColor: c.border,
        bgcolor: c.bg,
        color: c.fg,
        fontSize: 14,
      }}
    >
      {children}
    </Box>
  );
}

/** A pulsing block standing in for content on its way; without a label it is decoration (one of several rows). */
export function Placeholder({ height, label }: { height: number; label?: string }) {
  return (
    <Box
      {...(label ? { "aria-label": label, "aria-busy": true } : { "aria-hidden": true })}
      sx={{
        height,
        borderRadius: 1,
        bgcolor: "action.hover",
        "@keyframes sv-pulse": { "0%, 100%": { opacity: 1 }, "50%": { opacity: 0.5 } },
        animation: "sv-pulse 1.5s ease-in-out infinite",
      }}
    />
  );
}
