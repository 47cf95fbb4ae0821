"use client";
import { useSyncExternalStore } from "react";

/** For stores that never change: the value is read once on the client and once (its server default) on the server. */
export function subscribeToNothing() {
  return () => {};
}

/**
 * False on the server and while the page hydrates, true from the render after. For a part that can only know its
 * content in the browser (the colour scheme, the device): it renders the same placeholder on both sides and updates
 * itself alone — a context higher up changing during hydration would instead make React render the screen below
 * it again beside the server's copy (components/layout/providers.tsx).
 */
export function useHydrated() {
  return useSyncExternalStore(subscribeToNothing, isClient, isServer);
}

const isClient = () => true;
const isServer = () => false;
