"use client";
import Box from "@mui/material/Box";
import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type ChangeEvent,
  type ClipboardEvent,
  type KeyboardEvent,
} from "react";
import dynamic from "next/dynamic";
import { bareControl, FieldFrame } from "@/components/compose/field-frame";
import { useContactSuggestions } from "@/components/compose/use-contact-suggestions";
import type { Contact } from "@/lib/contacts/ranking";
import {
  formatRecipient,
  parseRecipients,
  takeCompleteRecipients,
  type RecipientChip,
} from "@/lib/compose/recipients";

// The list loads when there is something to suggest: Compose's first load stays small.
const ContactSuggestions = dynamic(() => import("@/components/compose/contact-suggestions"), { ssr: false });
const suggestionId = (listId: string, index: number) => `${listId}-option-${index}`;

type Props = {
  label: string;
  value: RecipientChip[];
  onChange: (value: RecipientChip[]) => void;
  error?: string;
  /** Takes the focus when this turns true, unless the user is already somewhere else on the page. */
  autoFocus?: boolean;
};

/**
 * Address chips: a comma, semicolon, Enter or leaving the field turns the text into validated chips;
 * Backspace in an empty field removes the last one; pasted lists are split. While typing, people the user wrote
 * to or heard from are suggested (a combobox: arrow keys move, Enter or Tab picks, Escape closes).
 */
export function RecipientField({ label, value, onChange, error, autoFocus }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const listId = useId();
  const optionId = useCallback((index: number) => suggestionId(listId, index), [listId]);
  // The active option is remembered by address: a later answer reordering the list never moves it elsewhere.
  const [activeAddress, setActiveAddress] = useState<string | null>(null);
  const [closed, setClosed] = useState(false);
  const chosen = new Set(value.map((r) => r.address.toLowerCase()));
  const found = useContactSuggestions(text).filter((c) => !chosen.has(c.address.toLowerCase()));
  const suggestions = closed ? [] : found;
  const active = suggestions.findIndex((c) => c.address === activeAddress);
  const setActive = (index: number) => setActiveAddress(suggestions[index]?.address ?? null);
  const invalid = value.filter((r) => !r.valid);
  const message = invalid.length ? `Not a valid address: ${invalid.map((r) => r.raw).join(", ")}` : error;

  // Not the autoFocus attribute: Compose enables its fields only once its draft is open, and a disabled field
  // cannot take the focus when it mounts.
  useEffect(() => {
    const focused = document.activeElement;
    if (autoFocus && (!focused || focused === document.body)) input.current?.focus();
  }, [autoFocus]);

  function add(parsed: RecipientChip[]) {
    if (parsed.length === 0) return;
    const seen = new Set(value.map((r) => r.address.toLowerCase()));
    const fresh: RecipientChip[] = [];
    for (const r of parsed) {
      if (seen.has(r.address.toLowerCase())) continue;
      seen.add(r.address.toLowerCase());
      fresh.push(r);
    }
    onChange([...value, ...fresh]);
  }

  function commit() {
    add(parseRecipients(text));
    setText("");
  }

  function pick(contact: Contact) {
    add([{ address: contact.address, name: contact.name, raw: contact.address, valid: true }]);
    setText("");
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const open = suggestions.length > 0;
    if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      // Down from the last option wraps to the first; up from the first (or from the field) to the last.
      setActive(
        step === 1 ? (active + 1) % suggestions.length : active <= 0 ? suggestions.length - 1 : active - 1,
      );
    } else if (
      open &&
      active >= 0 &&
      (event.key === "Enter" || event.key === "Tab") &&
      !event.ctrlKey &&
      !event.metaKey
    ) {
      event.preventDefault();
      pick(suggestions[active]!);
    } else if (open && event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setClosed(true);
      setActive(-1);
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      if (text.trim()) {
        event.preventDefault();
        commit();
      }
    } else if (event.key === "Backspace" && text === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  }

  function onTextChange(next: string) {
    setClosed(false);
    setActive(-1);
    const { complete, rest } = takeCompleteRecipients(next);
    add(complete);
    setText(rest);
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData("text");
    if (!/[,;\n]/.test(pasted)) return;
    event.preventDefault();
    add(parseRecipients(text + pasted));
    setText("");
  }

  return (
    // The wrapper places the suggestion list under the field.
    <Box sx={{ position: "relative" }}>
      <FieldFrame label={label} error={message} onClick={() => input.current?.focus()}>
        {({ id, helpId }) => (
          <>
            {value.map((chip, index) => (
              <AddressChip
                key={`${chip.address}-${index}`}
                chip={chip}
                onRemove={() => onChange(value.filter((_, i) => i !== index))}
              />
            ))}
            <Box
              component="input"
              ref={input}
              id={id}
              type="text"
              value={text}
              onChange={(e: ChangeEvent<HTMLInputElement>) => onTextChange(e.target.value)}
              onKeyDown={onKeyDown}
              onPaste={onPaste}
              onBlur={() => {
                commit();
                setActive(-1);
              }}
              role="combobox"
              aria-expanded={suggestions.length > 0}
              aria-controls={suggestions.length > 0 ? listId : undefined}
              aria-autocomplete="list"
              aria-activedescendant={
                active >= 0 && active < suggestions.length ? suggestionId(listId, active) : undefined
              }
              aria-label={label}
              aria-invalid={!!message}
              aria-describedby={helpId}
              inputMode="email"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              sx={bareControl}
            />
          </>
        )}
      </FieldFrame>
      {suggestions.length > 0 && (
        <ContactSuggestions
          id={listId}
          optionId={optionId}
          label={label}
          contacts={suggestions}
          active={active}
          onPick={pick}
        />
      )}
    </Box>
  );
}

/**
 * One address. A long one wraps inside the field rather than widening the page, so the whole address is always
 * there to read (and in its title). It never changes size on hover or focus: a chip that shrank when its × lost
 * the focus moved Send away from under the finger tapping it.
 */
function AddressChip({ chip, onRemove }: { chip: RecipientChip; onRemove: () => void }) {
  const text = formatRecipient(chip);
  return (
    <Box
      component="span"
      title={chip.valid ? text : `${chip.raw} is not a valid email address`}
      data-testid="address-chip"
      sx={{
        display: "inline-flex",
        alignItems: "center",
        gap: 0.5,
        maxWidth: "100%",
        minWidth: 0,
        pl: 1.25,
        pr: 0.25,
        minHeight: { xs: 44, sm: 26 },
        borderRadius: "16px",
        fontSize: 13,
        border: 1,
        borderColor: chip.valid ? "transparent" : "error.main",
        bgcolor: chip.valid ? "action.selected" : "transparent",
        color: chip.valid ? "text.primary" : "error.main",
      }}
    >
      <Box component="span" className="sv-chip-text" sx={{ minWidth: 0, overflowWrap: "anywhere", py: 0.25 }}>
        {text}
      </Box>
      <Box
        component="button"
        type="button"
        onClick={onRemove}
        aria-label={`Remove ${text}`}
        sx={{
          // On phones the button is a 44 px touch target around the small round ×.
          display: "grid",
          placeItems: "center",
          flexShrink: 0,
          width: { xs: 44, sm: 20 },
          height: { xs: 44, sm: 20 },
          p: 0,
          border: 0,
          borderRadius: "50%",
          cursor: "pointer",
          bgcolor: "transparent",
          color: "background.paper",
          fontSize: 14,
          lineHeight: 1,
          "& > span": {
            display: "grid",
            placeItems: "center",
            width: 20,
            height: 20,
            borderRadius: "50%",
            bgcolor: "action.disabled",
          },
          "&:hover > span, &:focus-visible > span": { bgcolor: "text.secondary" },
        }}
      >
        <span aria-hidden>×</span>
      </Box>
    </Box>
  );
}
