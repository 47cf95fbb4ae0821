"use client";
import DarkModeOutlined from "@mui/icons-material/DarkModeOutlined";
import LightModeOutlined from "@mui/icons-material/LightModeOutlined";
import IconButton from "@mui/material/IconButton";
import { useColorScheme } from "@mui/material/styles";
import { useHydrated } from "@/components/ui/use-hydrated";

/**
 * One tap between light and dark. The choice is kept on this device (MUI stores it in localStorage); Settings →
 * Appearance can also go back to following the system.
 */
export function ThemeToggle() {
  const { mode, systemMode, setMode } = useColorScheme();
  const hydrated = useHydrated();
  // Unknown until hydrated: the server cannot tell which scheme the browser shows.
  if (!hydrated || !mode) return <IconButton color="inherit" aria-label="Dark theme" disabled />;
  const dark = (mode === "system" ? systemMode : mode) === "dark";
  return (
    <IconButton
      color="inherit"
      aria-label="Dark theme"
      aria-pressed={dark}
      title={dark ? "Use the light theme" : "Use the dark theme"}
      data-testid="theme-toggle"
      onClick={() => setMode(dark ? "light" : "dark")}
    >
      {dark ? <LightModeOutlined /> : <DarkModeOutlined />}
    </IconButton>
  );
}
