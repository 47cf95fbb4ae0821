"use client";
import { createTheme } from "@mui/material/styles";

export const theme = createTheme({
  palette: { primary: { main: "#1d4ed8" }, secondary: { main: "#0f766e" } },
  shape: { borderRadius: 10 },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
});
