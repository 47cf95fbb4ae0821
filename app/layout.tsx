import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import InitColorSchemeScript from "@mui/material/InitColorSchemeScript";
import type { ReactNode } from "react";
import { Providers } from "@/components/layout/providers";

export const metadata: Metadata = {
  title: { default: "SecureVault", template: "%s · SecureVault" },
  description: "Write and send email with AI help through your own mail accounts — even offline.",
  applicationName: "SecureVault",
  icons: {
    icon: [
      { url: "/icons/icon.svg", type: "image/svg+xml" },
      { url: "/icons/icon-192.png", sizes: "192x192", type: "image/png" },
    ],
    apple: [{ url: "/icons/apple-touch-icon.png", sizes: "180x180", type: "image/png" }],
  },
  appleWebApp: { capable: true, title: "SecureVault", statusBarStyle: "default" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#1d4ed8" },
    { media: "(prefers-color-scheme: dark)", color: "#121417" },
  ],
};

// Reading the request's nonce (set by proxy.ts) makes every page render per request, as nonces require.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body>
        {/* Sets the light or dark class on <html> before the first paint (components/layout/theme.ts). */}
        <InitColorSchemeScript attribute="class" nonce={nonce} />
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
