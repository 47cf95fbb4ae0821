import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  dkimDnsRecord,
  generateDkimKey,
  publicKeyOf,
  relaxedBody,
  relaxedHeader,
  signDkim,
} from "@/lib/mail/dkim";
import { buildMimeMessage } from "@/lib/mail/mime-build";
import { verifyDkim } from "@/tests/support/dkim-verify";

const key = generateDkimKey();
const dkim = { domain: "acme.test", selector: "sv1", privateKeyPem: key.privateKeyPem };
const record = dkimDnsRecord("sv1", "acme.test", key.publicKey);
const published = { [record.name]: record.value };

const message = () =>
  buildMimeMessage({
    messageId: "<cm.1@acme.test>",
    date: new Date("2026-11-27T06:00:00Z"),
    from: { name: "Acme News", address: "news@acme.test" },
    to: [{ address: "ann@example.com", name: "Ann" }],
    subject: "Grüße — a subject long enough to be folded across more than one header line by the encoder",
    html: "<p>Hello   Ann,</p>\n<p>trailing spaces   </p>",
    text: "Hello Ann",
    extraHeaders: [
      [
        "List-Unsubscribe",
        "<https://vault.example.com/api/unsubscribe/abc>, <mailto:news@acme.test?subject=unsubscribe>",
      ],
      ["List-Unsubscribe-Post", "List-Unsubscribe=One-Click"],
    ],
  });

describe("DKIM signing", () => {
  it("signs a message that mailauth's verifier passes, covering List-Unsubscribe", async () => {
    const signed = signDkim(message(), dkim);
    expect(await verifyDkim(signed, published)).toEqual([
      expect.objectContaining({ result: "pass", domain: "acme.test" }),
    ]);
    const header = signed.toString("latin1").split("\r\n\r\n")[0]!;
    expect(header).toContain(
      "h=from:to:subject:date:message-id:mime-version:content-type:list-unsubscribe:list-unsubscribe-post;",
    );
  });

  it.each([
    ["a changed unsubscribe link", (s: string) => s.replace("/unsubscribe/abc", "/unsubscribe/evil")],
    ["a changed body", (s: string) => s.replace("Hello Ann", "Hello Bob")],
    ["a changed subject", (s: string) => s.replace(/^Subject: .*$/m, "Subject: Win a prize")],
  ])("fails verification after %s", async (_what, tamper) => {
    const signed = signDkim(message(), dkim).toString("latin1");
    const tampered = tamper(signed);
    expect(tampered).not.toBe(signed);
    const [verdict] = await verifyDkim(Buffer.from(tampered, "latin1"), published);
    // mailauth says "fail" for a bad signature, "neutral" when only the body hash differs: never "pass".
    expect(["fail", "neutral"]).toContain(verdict!.result);
  });

  it("fails against another key published for the selector", async () => {
    const other = generateDkimKey();
    const [verdict] = await verifyDkim(signDkim(message(), dkim), {
      [record.name]: dkimDnsRecord("sv1", "acme.test", other.publicKey).value,
    });
    expect(verdict!.result).toBe("fail");
  });

  it("imports an RSA key (PKCS#1 or PKCS#8) and refuses other keys", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    expect(publicKeyOf(pkcs1)).toBe(rsa.publicKey.export({ type: "spki", format: "der" }).toString("base64"));
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => publicKeyOf(ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString())).toThrow(
      /RSA/,
    );
    const small = generateKeyPairSync("rsa", { modulusLength: 512 });
    expect(() => publicKeyOf(small.privateKey.export({ type: "pkcs8", format: "pem" }).toString())).toThrow(
      /1024/,
    );
    expect(() => publicKeyOf("not a key")).toThrow();
  });

  it.each([
    ["Subject:  Hello \r\n\t World  ", "subject:Hello World\r\n"],
    ["FROM : a@b.test", "from:a@b.test\r\n"],
  ])("relaxed header %j", (field, canonical) => expect(relaxedHeader(field)).toBe(canonical));

  it.each([
    ["a  b \r\n\r\n\r\n", "a b\r\n"],
    ["", ""],
    ["\r\n\r\n", ""],
    ["x", "x\r\n"],
  ])("relaxed body %j", (body, canonical) => expect(relaxedBody(body)).toBe(canonical));
});
