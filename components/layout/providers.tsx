"use client";
import CssBaseline from "@mui/material/CssBaseline";
import { ThemeProvider } from "@mui/material/styles";
import { AppRouterCacheProvider } from "@mui/material-nextjs/v16-appRouter";
import { useState, type ReactNode } from "react";
import type { $ZodConfig } from "zod/v4/core";
import { NonceContext } from "@/components/layout/nonce-context";
import { theme } from "@/components/layout/theme";
import { ServiceWorkerRegistration } from "@/components/pwa/service-worker-registration";

// zod probes for eval with Function("") to speed up parsing; the CSP forbids eval, so the browser would report
// a violation on every page. Tell it up front not to try. zod keeps its config on globalThis (z.config() writes
// that same object, and one set before zod loads is kept): setting it there keeps zod itself out of every
// screen's first load.
const zodGlobal = globalThis as { __zod_globalConfig?: $ZodConfig };
(zodGlobal.__zod_globalConfig ??= {}).jitless = true;

/** nonce: this response's CSP nonce, so emotion's style tags are allowed without 'unsafe-inline'. */
export function Providers({ children, nonce }: { children: ReactNode; nonce?: string }) {
  // The document's policy carries the nonce of the first response. Later navigations render the layout again
  // with their own request's nonce, which this document's CSP does not know: keep the first one.
  const [documentNonce] = useState(nonce);
  return (
    <NonceContext value={documentNonce}>
      <AppRouterCacheProvider options={{ key: "mui", nonce: documentNonce }}>
        {/* noSsr: the scheme is read from the browser in the first render, not in an effect after it. That
            effect changed the theme's context while the page hydrated, and React then rendered any part of
            the screen still streaming in (the loading boundary of app/(app)/loading.tsx) a second time beside
            the server's copy. Parts that show the scheme wait for hydration themselves (useHydrated). */}
        <ThemeProvider theme={theme} noSsr>
          <CssBaseline />
          {children}
          <ServiceWorkerRegistration />
        </ThemeProvider>
      </AppRouterCacheProvider>
    </NonceContext>
  );
}
