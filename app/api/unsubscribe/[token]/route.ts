// GET /api/unsubscribe/:token — a page with an Unsubscribe button (a link scanner's GET changes nothing);
// POST — unsubscribes at once (RFC 8058 one-click, or the page's button). No session: the token's signature
// names the recipient and authorises this one change.
import { withErrors } from "@/lib/api/handler";
import { findUnsubscribeTarget, unsubscribe } from "@/lib/campaigns/unsubscribe-action";

type Params = { token: string };

export const GET = withErrors<Params>(async (_req, { params }) => {
  const target = await findUnsubscribeTarget(params.token);
  if (!target)
    return page(404, "This unsubscribe link is not valid", "<p>It may have been copied incompletely.</p>");
  if (target.done)
    return page(
      200,
      "You are unsubscribed",
      `<p>${escape(target.email)} will get no more of these emails.</p>`,
    );
  return page(
    200,
    "Unsubscribe",
    `<p>Stop sending these emails to <strong>${escape(target.email)}</strong>?</p>` +
      `<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
      `<button type="submit">Unsubscribe</button></form>`,
  );
});

export const POST = withErrors<Params>(async (_req, { params }) => {
  const target = await findUnsubscribeTarget(params.token);
  if (!target) return page(404, "This unsubscribe link is not valid", "<p>Nothing was changed.</p>");
  await unsubscribe(target);
  return page(
    200,
    "You are unsubscribed",
    `<p>${escape(target.email)} will get no more of these emails.</p>`,
  );
});

function page(status: number, title: string, body: string): Response {
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escape(title)}</title><style>` +
    `body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}` +
    `button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1565c0;background:#1565c0;color:#fff;cursor:pointer}` +
    `@media (prefers-color-scheme:dark){body{background:#121212;color:#eee}}</style></head>` +
    `<body><h1>${escape(title)}</h1>${body}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
    },
  });
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
