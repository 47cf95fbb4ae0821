import { createHash } from "node:crypto";
import { FRAME_CSS } from "@/lib/mail/frame-document";

const frameStyleHash = `'sha256-${createHash("sha256").update(FRAME_CSS).digest("base64")}'`;

/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce ('strict-dynamic' lets
 * Next's own chunks load theirs); style elements need the nonce too (emotion receives it) or are the mail
 * frame's fixed stylesheet, allowed by hash. Inline style *attributes* stay allowed (style-src-attr): React
 * renders some, and they cannot run code. Nothing may frame SecureVault.
 */
export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  return [
    "default-src 'self'",
    // React's development build needs eval for its error overlays; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}' ${frameStyleHash}`,
    `style-src-elem 'self' 'nonce-${nonce}' ${frameStyleHash}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "media-src 'self' blob:",
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}
