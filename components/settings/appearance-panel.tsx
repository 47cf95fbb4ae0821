"use client";
import FormControlLabel from "@mui/material/FormControlLabel";
import Paper from "@mui/material/Paper";
import Radio from "@mui/material/Radio";
import RadioGroup from "@mui/material/RadioGroup";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useColorScheme } from "@mui/material/styles";
import { useHydrated } from "@/components/ui/use-hydrated";

const choices = [
  { value: "system", label: "Same as this device" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
] as const;

/** Light, dark, or following the system; kept on this device (components/layout/theme.ts). */
export function AppearancePanel() {
  const { mode, setMode } = useColorScheme();
  // The choice is kept in this browser: until hydrated, the server's guess would be shown (and fixed by React).
  const hydrated = useHydrated();
  return (
    <Stack spacing={2} sx={{ maxWidth: 900 }}>
      <Typography variant="h6" component="h2" id="appearance-heading">
        Appearance
      </Typography>
      <Paper variant="outlined" sx={{ p: 2 }}>
        <RadioGroup
          aria-labelledby="appearance-heading"
          value={hydrated ? (mode ?? "system") : null}
          onChange={(e) => setMode(e.target.value as (typeof choices)[number]["value"])}
        >
          {choices.map((c) => (
            <FormControlLabel key={c.value} value={c.value} control={<Radio />} label={c.label} />
          ))}
        </RadioGroup>
        <Typography variant="body2" color="text.secondary">
          Messages keep their own colours on a light page in either theme, as their senders wrote them.
        </Typography>
      </Paper>
    </Stack>
  );
}
