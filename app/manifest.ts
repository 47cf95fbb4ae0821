import type { MetadataRoute } from "next";

// Served as /manifest.webmanifest; Next.js links it from every page's <head>.
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/",
    name: "SecureVault",
    short_name: "SecureVault",
    description: "Write and send email with AI help through your own mail accounts — even offline.",
    lang: "en",
    categories: ["productivity", "business"],
    start_url: "/compose",
    scope: "/",
    display: "standalone",
    theme_color: "#1d4ed8",
    background_color: "#ffffff",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
    shortcuts: [
      { name: "New email", short_name: "New", url: "/compose?new=1", icons: [shortcutIcon] },
      { name: "Outbox", short_name: "Outbox", url: "/outbox", icons: [shortcutIcon] },
    ],
    // Android's share sheet opens Compose with the shared title, text and link as query parameters.
    share_target: {
      action: "/compose",
      method: "GET",
      params: { title: "title", text: "text", url: "url" },
    },
  };
}

const shortcutIcon = { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png" };
