"use client";
import Button from "@mui/material/Button";
import type { SxProps, Theme } from "@mui/material/styles";
import NextLink from "next/link";
import type { ReactNode } from "react";

type Props = {
  href: string;
  children: ReactNode;
  startIcon?: ReactNode;
  size?: "small" | "medium" | "large";
  variant?: "text" | "outlined" | "contained";
  sx?: SxProps<Theme>;
};

/** A MUI Button that navigates with next/link; usable from server components. */
export function LinkButton({ href, ...props }: Props) {
  return <Button component={NextLink} href={href} {...props} />;
}
