"use client";
import { useEffect, useState } from "react";
import { useUser } from "@/components/layout/user-context";
import type { Contact } from "@/lib/contacts/ranking";

const SUGGESTIONS = 8;
const QUERY_DELAY_MS = 120;
// The device's cache and the server are loaded after the page: Compose's first load stays small.
const cache = () => import("@/lib/offline/contacts-cache");
const api = () => import("@/lib/api/client");

let warmed = false;

/**
 * People matching what is typed, best first: at once from this device's cache, then from the server when online
 * (its answer is cached for offline use). Nothing while `text` is empty.
 */
export function useContactSuggestions(text: string): Contact[] {
  const user = useUser();
  const [found, setFound] = useState<{ text: string; contacts: Contact[] }>({ text: "", contacts: [] });
  const prefix = text.trim();

  useEffect(() => {
    // Once per page: the server's best overall, so suggestions work offline later.
    if (warmed || !navigator.onLine) return;
    warmed = true;
    void fetchContacts("", 200)
      .then(async (contacts) => (await cache()).cacheContacts(user.id, contacts))
      .catch(() => {
        warmed = false;
      });
  }, [user.id]);

  useEffect(() => {
    if (!prefix) return;
    let stale = false;
    const timer = setTimeout(async () => {
      try {
        const local = await (await cache()).cachedSuggestions(user.id, prefix, SUGGESTIONS);
        if (stale) return;
        setFound({ text: prefix, contacts: local });
        if (!navigator.onLine) return;
        const server = await fetchContacts(prefix, SUGGESTIONS);
        if (stale) return;
        setFound({ text: prefix, contacts: (await cache()).mergeContacts(local, server, SUGGESTIONS) });
        await (await cache()).cacheContacts(user.id, server);
      } catch {
        // No suggestions is fine: the field still takes any address typed.
      }
    }, QUERY_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [prefix, user.id]);

  return prefix && found.text === prefix ? found.contacts : [];
}

async function fetchContacts(q: string, limit: number): Promise<Contact[]> {
  const { fetchJson } = await api();
  const params = new URLSearchParams({ q, limit: String(limit) });
  return (await fetchJson<{ contacts: Contact[] }>(`/api/contacts?${params}`)).contacts;
}
