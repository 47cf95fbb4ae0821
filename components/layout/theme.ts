"use client";
import { createTheme } from "@mui/material/styles";

// Light and dark palettes as CSS variables: the scheme is chosen before the first paint by the script in
// app/layout.tsx (the system preference, or the user's choice kept in localStorage under "mui-mode"), so a
// dark-mode user never sees a white flash and no colour depends on React state.
export const theme = createTheme({
  cssVariables: { colorSchemeSelector: "class" },
  colorSchemes: {
    light: {
      palette: {
        primary: { main: "#1d4ed8" },
        secondary: { main: "#0f766e" },
        // Darker than MUI's defaults so white chip text on them is readable (WCAG AA, 4.5:1).
        info: { main: "#0369a1" },
        warning: { main: "#b45309" },
        success: { main: "#15803d" },
      },
    },
    dark: {
      palette: {
        primary: { main: "#8ab4f8" },
        secondary: { main: "#5eead4" },
        background: { default: "#121417", paper: "#1b1e23" },
      },
    },
  },
  shape: { borderRadius: 10 },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  },
});
