// The mail side of the OAuth tests: an SMTP server that takes AUTH XOAUTH2 only, with an access token the test
// authorization server issued for that very account and the needed scope (checked by introspection), and an HTTP
// service standing in for the Gmail API's users.messages.send that checks the bearer token the same way and
// parses the raw MIME it is given.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { TestAuthorizationServer } from "@/tests/support/oauth-authorization-server";

export type ReceivedMail = { envelopeTo: string[]; parsed: ParsedMail; raw: string };

type TokenCheck = { ok: true } | { ok: false; why: string };

async function checkToken(
  authz: TestAuthorizationServer,
  token: string,
  user: string | undefined,
  scope: string,
): Promise<TokenCheck> {
  const info = await authz.introspect(token);
  if (!info.active) return { ok: false, why: "token not active" };
  if (!info.scope?.split(" ").includes(scope)) return { ok: false, why: `scope ${scope} missing` };
  if (user !== undefined && authz.emailOf(info.sub ?? "") !== user)
    return { ok: false, why: "token of another account" };
  return { ok: true };
}

export type XoauthSmtpServer = {
  port: number;
  received: ReceivedMail[];
  /** XOAUTH2 sign-ins tried, and how many were refused. */
  logins: () => { tried: number; refused: number };
  close: () => Promise<void>;
};

/** Implicit TLS (smtps) with the given certificate: the client signs in only over an encrypted connection. */
export async function startXoauth2SmtpServer(
  authz: TestAuthorizationServer,
  scope: string,
  tls: { key: Buffer; cert: Buffer },
): Promise<XoauthSmtpServer> {
  const received: ReceivedMail[] = [];
  const logins = { tried: 0, refused: 0 };
  const server = new SMTPServer({
    authMethods: ["XOAUTH2"],
    secure: true,
    key: tls.key,
    cert: tls.cert,
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, cb) {
      logins.tried += 1;
      if (auth.method !== "XOAUTH2" || !auth.accessToken) {
        logins.refused += 1;
        return cb(Object.assign(new Error("5.7.8 XOAUTH2 only"), { responseCode: 535 }));
      }
      void checkToken(authz, auth.accessToken, auth.username, scope).then((check) => {
        if (check.ok) return cb(null, { user: auth.username });
        logins.refused += 1;
        // The error challenge Google and Microsoft send: the client answers it with an empty line.
        cb(null, { data: { status: "401", schemes: "bearer", scope } } as never);
      }, cb);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const raw = Buffer.concat(chunks);
        received.push({
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          parsed: await simpleParser(raw),
          raw: raw.toString(),
        });
        cb(null, "2.0.0 OK queued");
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    logins: () => ({ ...logins }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export type GmailStandIn = {
  url: string;
  received: (ReceivedMail & { bearerChecked: true })[];
  /** Requests refused for their token. */
  refused: () => number;
  close: () => Promise<void>;
};

export async function startGmailStandIn(
  authz: TestAuthorizationServer,
  scope: string,
  port = 0,
): Promise<GmailStandIn> {
  const received: GmailStandIn["received"] = [];
  let refused = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const answer = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      // For the end-to-end suite, which runs this in another process: what arrived, without the raw bodies.
      if (req.method === "GET" && req.url === "/__received") {
        return answer(
          200,
          received.map((m) => ({ subject: m.parsed.subject, from: m.parsed.from?.text, to: m.envelopeTo })),
        );
      }
      if (req.method !== "POST" || req.url !== "/gmail/v1/users/me/messages/send") {
        return answer(404, { error: { code: 404, message: "Not found" } });
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const check = token
        ? await checkToken(authz, token, undefined, scope)
        : { ok: false as const, why: "no token" };
      if (!check.ok) {
        refused += 1;
        return answer(401, { error: { code: 401, message: `Invalid Credentials (${check.why})` } });
      }
      let raw: Buffer;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { raw?: unknown };
        if (typeof body.raw !== "string" || !/^[A-Za-z0-9_-]+$/.test(body.raw))
          throw new Error("raw is not base64url");
        raw = Buffer.from(body.raw, "base64url");
      } catch (error) {
        return answer(400, { error: { code: 400, message: (error as Error).message } });
      }
      const parsed = await simpleParser(raw);
      // Gmail sends to To, Cc and Bcc, and removes the Bcc header before delivery.
      const addresses = [parsed.to, parsed.cc, parsed.bcc]
        .flatMap((f) => [f ?? []].flat())
        .flatMap((g) => g.value.map((a) => a.address ?? ""));
      received.push({ envelopeTo: addresses, parsed, raw: raw.toString(), bearerChecked: true });
      answer(200, {
        id: `gmail-${received.length}`,
        threadId: `thread-${received.length}`,
        labelIds: ["SENT"],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
