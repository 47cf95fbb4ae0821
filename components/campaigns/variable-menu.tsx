"use client";
import DataObjectOutlined from "@mui/icons-material/DataObjectOutlined";
import Button from "@mui/material/Button";
import Divider from "@mui/material/Divider";
import ListSubheader from "@mui/material/ListSubheader";
import MenuItem from "@mui/material/MenuItem";
import MenuList from "@mui/material/MenuList";
import Popover from "@mui/material/Popover";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useId, useState, type FormEvent } from "react";
import { phoneTouchTarget } from "@/components/compose/touch-target";
import { variableNameOf } from "@/lib/templates/variable-name";

/**
 * "Insert variable": the known columns as a menu (arrow keys, Enter), and a name typed in, with a default for
 * rows that have no value. Hands the chosen name and default to `onInsert`.
 */
export function VariableMenu({
  variables,
  onInsert,
  label = "Insert variable",
  disabled = false,
}: {
  variables: string[];
  onInsert: (name: string, fallback?: string) => void;
  label?: string;
  disabled?: boolean;
}) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [typed, setTyped] = useState("");
  const [fallback, setFallback] = useState("");
  const id = useId();
  const name = variableNameOf(typed);

  function choose(variable: string, withDefault?: string) {
    setAnchor(null);
    setTyped("");
    setFallback("");
    onInsert(variable, withDefault || undefined);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (name) choose(name, fallback.trim());
  }

  return (
    <>
      <Button
        size="small"
        startIcon={<DataObjectOutlined />}
        disabled={disabled}
        aria-haspopup="dialog"
        aria-expanded={anchor ? "true" : undefined}
        aria-controls={anchor ? id : undefined}
        onClick={(e) => setAnchor(e.currentTarget)}
        sx={phoneTouchTarget}
      >
        {label}
      </Button>
      <Popover
        id={id}
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: "bottom", horizontal: "left" }}
        slotProps={{ paper: { sx: { width: { xs: "calc(100vw - 32px)", sm: 320 } } } }}
      >
        {variables.length > 0 && (
          <MenuList
            dense
            autoFocusItem
            aria-label="Known variables"
            subheader={<ListSubheader component="div">Columns</ListSubheader>}
          >
            {variables.map((v) => (
              <MenuItem key={v} onClick={() => choose(v)} sx={phoneTouchTarget}>
                {v}
              </MenuItem>
            ))}
          </MenuList>
        )}
        {variables.length > 0 && <Divider />}
        <Stack component="form" onSubmit={submit} spacing={1} sx={{ p: 1.5 }} aria-label="Another variable">
          <Typography variant="body2" color="text.secondary">
            Another name, and what to write when a row has no value:
          </Typography>
          <TextField
            size="small"
            label="Variable name"
            value={typed}
            autoFocus={variables.length === 0}
            onChange={(e) => setTyped(e.target.value)}
            helperText={typed && name !== typed ? `Inserted as ${name || "—"}` : " "}
          />
          <TextField
            size="small"
            label="Default (optional)"
            value={fallback}
            onChange={(e) => setFallback(e.target.value)}
          />
          <Button type="submit" variant="outlined" size="small" disabled={!name}>
            Insert
          </Button>
        </Stack>
      </Popover>
    </>
  );
}
