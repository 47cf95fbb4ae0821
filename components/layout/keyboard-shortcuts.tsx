"use client";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { navItems } from "@/components/layout/nav-items";

// Shortcuts in the manner of Gmail: "c" to write, "/" to search, "?" for the list, "g" then a letter to go to a
// screen. None fires while the user types (inputs, the editor, any contenteditable) or holds Ctrl, Cmd or Alt.

const ShortcutsDialog = dynamic(() => import("@/components/layout/shortcuts-dialog"), { ssr: false });

/** How long after "g" the second letter still counts. */
const SEQUENCE_MS = 1500;
const SEARCH_FIELD_ATTR = "data-shortcut-search";
/** Spread onto a screen's search input so "/" focuses it and Esc leaves it. */
export const KeyboardShortcutsSearch = { [SEARCH_FIELD_ATTR]: "" };
/** On a button, `data-shortcut="r"` makes that key press it (r, a, f: Reply, Reply all, Forward on a message). */
export const SHORTCUT_ATTR = "data-shortcut";
const PAGE_KEYS = ["r", "a", "f"];

export function KeyboardShortcuts() {
  const router = useRouter();
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    let pendingG = 0;
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing)
        return;
      const target = event.target as HTMLElement | null;
      if (event.key === "Escape" && target?.hasAttribute(SEARCH_FIELD_ATTR)) {
        target.blur();
        return;
      }
      if (isTyping(target) || document.querySelector('[role="dialog"][aria-modal="true"]')) return;

      const key = event.key;
      if (pendingG && Date.now() - pendingG < SEQUENCE_MS) {
        pendingG = 0;
        const item = navItems.find((i) => i.key === `g ${key.toLowerCase()}`);
        if (item) {
          event.preventDefault();
          router.push(item.href);
        }
        return;
      }
      pendingG = 0;
      if (key === "g") pendingG = Date.now();
      else if (key === "c") {
        event.preventDefault();
        router.push("/compose?new=1");
      } else if (key === "/") {
        const search = document.querySelector<HTMLElement>(`[${SEARCH_FIELD_ATTR}]`);
        if (search) {
          event.preventDefault();
          search.focus();
        }
      } else if (PAGE_KEYS.includes(key)) {
        const button = document.querySelector<HTMLElement>(`[${SHORTCUT_ATTR}="${key}"]`);
        if (button) {
          event.preventDefault();
          button.click();
        }
      } else if (key === "?") {
        event.preventDefault();
        setHelpOpen(true);
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [router]);

  return helpOpen ? <ShortcutsDialog onClose={() => setHelpOpen(false)} /> : null;
}

function isTyping(target: HTMLElement | null): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"].includes(type);
}
