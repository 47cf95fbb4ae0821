"use client";
import GetAppOutlined from "@mui/icons-material/GetAppOutlined";
import Button from "@mui/material/Button";
import IconButton from "@mui/material/IconButton";
import dynamic from "next/dynamic";
import { useState, useSyncExternalStore } from "react";
import { isAppleMobile, isStandalone, STANDALONE_QUERY } from "@/lib/pwa/platform";
import { subscribeToNothing } from "@/components/ui/use-hydrated";

// The iOS instructions load only when asked for.
const IosInstallDialog = dynamic(() => import("@/components/pwa/ios-install-dialog"), { ssr: false });

/** Chromium's install event; not in TypeScript's DOM library. */
interface BeforeInstallPromptEvent extends Event {
  readonly platforms: string[];
  readonly userChoice: Promise<{ outcome: "accepted" | "dismissed"; platform: string }>;
  prompt(): Promise<void>;
}

let deferredPrompt: BeforeInstallPromptEvent | null = null;
const promptListeners = new Set<() => void>();

// Listen as soon as this module loads, not when the button mounts: Chromium may fire `beforeinstallprompt`
// before hydration, and a missed event does not come back until the next page load.
if (typeof window !== "undefined") {
  window.addEventListener("beforeinstallprompt", (event) => {
    if (!isBeforeInstallPromptEvent(event)) return;
    event.preventDefault(); // no mini-infobar: the app bar offers the install instead
    setDeferredPrompt(event);
  });
  window.addEventListener("appinstalled", () => setDeferredPrompt(null));
}

/**
 * Offers to install SecureVault: the browser's own prompt where Chromium provides one, instructions for the
 * Share sheet on iPhone and iPad, and nothing once the app runs from the home screen or dock.
 */
export function InstallAppButton() {
  const installPrompt = useSyncExternalStore(subscribeToInstallPrompt, readInstallPrompt, () => null);
  // On the server and during hydration assume standalone, so nothing renders until the client knows.
  const standalone = useSyncExternalStore(subscribeToDisplayMode, isStandalone, () => true);
  const ios = useSyncExternalStore(subscribeToNothing, isIosBrowser, () => false);
  const [helpOpen, setHelpOpen] = useState(false);

  if (standalone) return null;
  if (installPrompt) {
    return <InstallTrigger label="Install app" onClick={() => void promptInstall(installPrompt)} />;
  }
  if (!ios) return null;
  return (
    <>
      <InstallTrigger label="Install" opensDialog onClick={() => setHelpOpen(true)} />
      {helpOpen && <IosInstallDialog open onClose={() => setHelpOpen(false)} />}
    </>
  );
}

type TriggerProps = { label: string; opensDialog?: boolean; onClick: () => void };

/** An icon button on phones, where the app bar is tight; a labelled button from `sm` up. */
function InstallTrigger({ label, opensDialog = false, onClick }: TriggerProps) {
  const popup = opensDialog ? ("dialog" as const) : undefined;
  return (
    <>
      <IconButton
        color="inherit"
        title={label}
        aria-label={label}
        aria-haspopup={popup}
        onClick={onClick}
        sx={{ display: { xs: "inline-flex", sm: "none" } }}
      >
        <GetAppOutlined />
      </IconButton>
      <Button
        color="inherit"
        startIcon={<GetAppOutlined />}
        aria-haspopup={popup}
        onClick={onClick}
        sx={{ display: { xs: "none", sm: "inline-flex" }, mr: 1, whiteSpace: "nowrap" }}
      >
        {label}
      </Button>
    </>
  );
}

async function promptInstall(event: BeforeInstallPromptEvent) {
  try {
    await event.prompt();
    await event.userChoice;
  } catch {
    // prompt() rejects when the event was already used; either way it cannot be shown again.
  }
  setDeferredPrompt(null);
}

function setDeferredPrompt(event: BeforeInstallPromptEvent | null) {
  deferredPrompt = event;
  for (const listener of promptListeners) listener();
}

function readInstallPrompt() {
  return deferredPrompt;
}

function subscribeToInstallPrompt(listener: () => void) {
  promptListeners.add(listener);
  return () => {
    promptListeners.delete(listener);
  };
}

function subscribeToDisplayMode(listener: () => void) {
  const query = window.matchMedia(STANDALONE_QUERY);
  query.addEventListener("change", listener);
  return () => query.removeEventListener("change", listener);
}

function isBeforeInstallPromptEvent(event: Event): event is BeforeInstallPromptEvent {
  return "prompt" in event && typeof event.prompt === "function" && "userChoice" in event;
}

/**
 * iPhone or iPad in a real browser (Safari, or Chrome/Firefox/Edge, which share Safari's Add to Home Screen
 * since iOS 16.4). In-app web views lack the `Safari/` token and cannot install, so they get no button.
 */
function isIosBrowser() {
  return isAppleMobile() && /Safari\//.test(navigator.userAgent);
}
