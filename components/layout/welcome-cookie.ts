/** Set once the user chose a first-run path (components/layout/welcome-panel.tsx); read by the signed-in layout. */
export const WELCOME_DONE_COOKIE = "sv-welcome-done";
