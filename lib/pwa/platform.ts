// Browser facts shared by the install prompt and notification settings.

export const STANDALONE_QUERY = "(display-mode: standalone)";

/** Started from the home screen or dock rather than in a browser tab. */
export function isStandalone(): boolean {
  // `navigator.standalone` is Safari's own flag for a web app started from the home screen.
  return (
    window.matchMedia(STANDALONE_QUERY).matches ||
    ("standalone" in navigator && navigator.standalone === true)
  );
}

/** iPhone, iPad or iPod; iPadOS presents itself as a Mac, and touch support gives it away. */
export function isAppleMobile(): boolean {
  const ua = navigator.userAgent;
  return /iPhone|iPad|iPod/.test(ua) || (ua.includes("Macintosh") && navigator.maxTouchPoints > 1);
}
