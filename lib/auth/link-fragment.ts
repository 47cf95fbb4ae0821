// Emailed links carry their token in the URL fragment (#token=…, #invite=…): browsers never send it to a
// server, so it stays out of access logs, proxies and Referer headers. Read by the page that the link opens.

/** The value of `name` in a fragment like "#token=abc", or null. */
export function linkFragmentValue(hash: string, name: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, "")).get(name);
  return value && /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
}

/** For useSyncExternalStore: re-read the fragment when it changes. */
export function subscribeToHashChange(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}
