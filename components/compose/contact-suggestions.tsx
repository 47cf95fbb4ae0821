"use client";
import Box from "@mui/material/Box";
import { useEffect, type MouseEvent } from "react";
import type { Contact } from "@/lib/contacts/ranking";

/**
 * The suggestion list of a recipient field (the ARIA combobox pattern's listbox): the field keeps the focus and
 * moves the active option with the arrow keys; a tap or click picks one (without taking the focus away first).
 */
export default function ContactSuggestions({
  id,
  optionId,
  label,
  contacts,
  active,
  onPick,
}: {
  id: string;
  /** The id of the option at an index (the field's aria-activedescendant names it). */
  optionId: (index: number) => string;
  label: string;
  contacts: Contact[];
  active: number;
  onPick: (contact: Contact) => void;
}) {
  useEffect(() => {
    if (active >= 0) document.getElementById(optionId(active))?.scrollIntoView({ block: "nearest" });
  }, [optionId, active]);

  return (
    <Box
      component="ul"
      role="listbox"
      id={id}
      aria-label={`${label} suggestions`}
      sx={{
        position: "absolute",
        zIndex: 10,
        top: "100%",
        left: 0,
        right: 0,
        mt: 0.5,
        mb: 0,
        mx: 0,
        p: 0.5,
        listStyle: "none",
        maxHeight: 300,
        overflowY: "auto",
        bgcolor: "background.paper",
        color: "text.primary",
        border: 1,
        borderColor: "divider",
        borderRadius: 1,
        boxShadow: 6,
      }}
    >
      {contacts.map((c, index) => (
        <Box
          component="li"
          key={c.address}
          id={optionId(index)}
          role="option"
          aria-selected={index === active}
          onMouseDown={(e: MouseEvent) => e.preventDefault()}
          onClick={() => onPick(c)}
          sx={{
            display: "flex",
            flexDirection: "column",
            justifyContent: "center",
            minHeight: { xs: 44, sm: 36 },
            px: 1.5,
            py: 0.5,
            borderRadius: 1,
            cursor: "pointer",
            overflowWrap: "anywhere",
            bgcolor: index === active ? "action.selected" : undefined,
            "&:hover": { bgcolor: index === active ? "action.selected" : "action.hover" },
          }}
        >
          <Box component="span" sx={{ fontSize: 14 }}>
            {c.name || c.address}
          </Box>
          {c.name && (
            <Box component="span" sx={{ fontSize: 12, color: "text.secondary" }}>
              {c.address}
            </Box>
          )}
        </Box>
      ))}
    </Box>
  );
}
