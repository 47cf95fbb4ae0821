"use client";
import { createContext, useContext } from "react";

/** This page's CSP nonce (from proxy.ts via the root layout), for libraries that add their own <style> tags. */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
