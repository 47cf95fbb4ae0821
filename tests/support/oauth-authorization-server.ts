// A real OpenID Connect authorization server for the OAuth tests: panva's oidc-provider (the certified
// implementation), on a free loopback port, at an issuer path shaped like Microsoft's (<base>/common/v2.0). It
// signs in one test account at a time and consents to whatever is asked, at its own interaction page — the
// browser (or connectThroughConsent below) goes through the same redirects as with Google or Microsoft.
import { generateKeyPairSync } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

export type TestAuthorizationServer = {
  /** The base to set as GOOGLE_ISSUER_URL's origin and MICROSOFT_AUTHORITY_URL. */
  base: string;
  issuer: string;
  clients: { google: { id: string; secret: string }; microsoft: { id: string; secret: string } };
  /** The account the next consent signs in as. */
  signInAs(account: { sub: string; email: string }): void;
  /** Token requests with grant_type=refresh_token that the server answered with tokens. */
  refreshes(): number;
  /** Introspects a token as a resource server would (the SMTP server and the Gmail stand-in). */
  introspect(token: string): Promise<{ active: boolean; sub?: string; scope?: string; client_id?: string }>;
  emailOf(sub: string): string | undefined;
  /** The user revokes SecureVault's access in their account: every grant ends, and its tokens with it. */
  revokeEverything(): Promise<void>;
  /** Refresh tokens revoked through the revocation endpoint (disconnects). */
  revocations(): number;
  close(): Promise<void>;
};

const TENANT_PATH = "/common/v2.0";
const RESOURCE_SERVER = { id: "mail-servers", secret: "mail-servers-secret-0123456789" };

export async function startTestAuthorizationServer(
  redirectBase: string,
  port = 0,
): Promise<TestAuthorizationServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}${TENANT_PATH}`;
  const clients = {
    google: { id: "securevault-google", secret: "google-client-secret-0123456789" },
    microsoft: { id: "securevault-microsoft", secret: "microsoft-client-secret-0123456789" },
  };
  const accounts = new Map<string, string>();
  let current = { sub: "account-1", email: "someone@example.com" };
  const grantIds = new Set<string>();
  let refreshes = 0;
  let revocations = 0;

  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: [
      ...(["google", "microsoft"] as const).map((p) => ({
        client_id: clients[p].id,
        client_secret: clients[p].secret,
        redirect_uris: [`${redirectBase}/api/senders/oauth/${p}/callback`],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code" as const],
      })),
      {
        client_id: RESOURCE_SERVER.id,
        client_secret: RESOURCE_SERVER.secret,
        redirect_uris: [],
        grant_types: [],
        response_types: [],
      },
    ],
    jwks: { keys: [{ ...signingKey, kid: "test-key", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["oauth-test-cookie-key-0123456789"] },
    pkce: { required: () => true },
    scopes: [
      "openid",
      "email",
      "offline_access",
      "https://www.googleapis.com/auth/gmail.send",
      "https://mail.google.com/",
      "https://outlook.office.com/SMTP.Send",
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    // Google's access_type=offline asks for a refresh token without the offline_access scope.
    extraParams: ["access_type"],
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    // Both providers put the email in the ID token.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) =>
      accounts.has(sub)
        ? { accountId: sub, claims: () => ({ sub, email: accounts.get(sub), email_verified: true }) }
        : undefined,
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
    },
    interactions: { url: (_ctx, interaction) => `${TENANT_PATH}/interaction/${interaction.uid}` },
  });
  provider.on("grant.success", (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.grant_type === "refresh_token") refreshes += 1;
  });

  const callback = provider.callback();
  server.on("request", (req: http.IncomingMessage & { originalUrl?: string }, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith(TENANT_PATH)) return void res.writeHead(404).end();
    if (url.startsWith(`${TENANT_PATH}/interaction/`))
      return void interact(req, res).catch(() => res.writeHead(500).end());
    if (url.endsWith("/token/revocation"))
      res.on("finish", () => res.statusCode === 200 && (revocations += 1));
    req.originalUrl = url;
    req.url = url.slice(TENANT_PATH.length) || "/";
    void callback(req, res);
  });

  // The provider's sign-in and consent screens: a page with one form each (GET), and its submission (POST). The
  // account signing in is the one the test chose, unless the form names another address.
  async function interact(req: http.IncomingMessage, res: http.ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const isLogin = details.prompt.name === "login";
    if (req.method === "GET") {
      const scopes = String(details.params.scope ?? "").split(" ");
      const page = isLogin
        ? `<h1>Sign in to the test provider</h1><form method="post"><label>Email <input name="email" value="${current.email}"></label> <button type="submit">Continue</button></form>`
        : `<h1>Allow SecureVault?</h1><p>It asks for:</p><ul>${scopes.map((x) => `<li>${x}</li>`).join("")}</ul><form method="post"><button type="submit">Allow</button></form>`;
      return void res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(`<!doctype html><title>Test provider</title>${page}`);
    }
    if (isLogin) {
      const form = new URLSearchParams(await readBody(req));
      const email = form.get("email") || current.email;
      const sub = email === current.email ? current.sub : `sub-${email}`;
      accounts.set(sub, email);
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: sub } },
        { mergeWithLastSubmission: false },
      );
    }
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const grant = new provider.Grant({
      accountId: details.session!.accountId,
      clientId: details.params.client_id as string,
    });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    grantIds.add(grantId);
    return provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  return {
    base,
    issuer,
    clients,
    signInAs(account) {
      current = account;
    },
    refreshes: () => refreshes,
    revocations: () => revocations,
    emailOf: (sub) => accounts.get(sub),
    async introspect(token) {
      const res = await fetch(`${issuer}/token/introspection`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${RESOURCE_SERVER.id}:${RESOURCE_SERVER.secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({ token }),
      });
      return (await res.json()) as { active: boolean; sub?: string; scope?: string };
    },
    async revokeEverything() {
      for (const id of grantIds) await (await provider.Grant.find(id))?.destroy();
      grantIds.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString()));
    req.on("error", reject);
  });
}

/**
 * Follows a browser's way from SecureVault's start route, through the provider's sign-in and consent, back to
 * the callback: returns the callback URL the provider redirected to. `cookie` is SecureVault's session cookie;
 * the provider's own cookies are kept here, as a browser keeps them.
 */
export async function followToCallback(startLocation: string, callbackPrefix: string): Promise<URL> {
  const jar = new Map<string, string>();
  let location = startLocation;
  for (let hop = 0; hop < 20; hop++) {
    if (location.startsWith(callbackPrefix)) return new URL(location);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    let res = await fetch(location, { redirect: "manual", headers: { cookie } });
    if (res.status === 200 && location.includes("/interaction/")) {
      // The sign-in or consent page: press its button, as the user would.
      await res.text();
      res = await fetch(location, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: "",
      });
    }
    for (const set of res.headers.getSetCookie()) {
      const [pair] = set.split(";");
      const [name, ...value] = pair!.split("=");
      jar.set(name!.trim(), value.join("="));
    }
    const next = res.headers.get("location");
    if (!next)
      throw new Error(`The authorization server stopped at ${location} (${res.status}): ${await res.text()}`);
    location = new URL(next, location).href;
  }
  throw new Error("Too many redirects on the way to the callback");
}
