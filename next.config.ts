import type { NextConfig } from "next";
import { env } from "./lib/env";

// Browsers honour HSTS only over https; sending it from a development server would pin localhost to https.
const hsts =
  env.NODE_ENV === "production"
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : [];

// Build configuration, not app code: the one env read outside lib/env. The container image builds with
// NEXT_OUTPUT=standalone (a self-contained server.js); `npm start` runs `next start`, which refuses that output.
const standalone = process.env.NEXT_OUTPUT === "standalone";

const nextConfig: NextConfig = {
  ...(standalone ? { output: "standalone" as const } : {}),
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: [
    "smtp-server",
    "nodemailer",
    "mailparser",
    "html-to-text",
    "sanitize-html",
    "@prisma/adapter-better-sqlite3",
  ],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), geolocation=(), microphone=(self)" },
          ...hsts,
        ],
      },
    ];
  },
};

export default nextConfig;
