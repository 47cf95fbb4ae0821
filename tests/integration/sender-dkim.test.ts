import { afterAll, beforeAll, expect, it } from "vitest";
import { DELETE as removeDkim, PUT as putDkim } from "@/app/api/senders/[id]/dkim/route";
import { POST as sendRoute } from "@/app/api/messages/route";
import { feedCampaigns } from "@/lib/campaigns/feeder";
import { db } from "@/lib/db/client";
import { startDeliveryWorker, type DeliveryWorker } from "@/lib/delivery/worker";
import { closeAllPools } from "@/lib/mail/transport";
import { addLoopbackSender, callRoute, signUpUser, type TestUser } from "@/tests/support/api";
import { draftCampaign, recipientsCsv, startCampaignRoute } from "@/tests/support/campaigns";
import { verifyDkim } from "@/tests/support/dkim-verify";
import { startRecordingSmtp } from "@/tests/support/recording-smtp";

// DKIM end to end: a sender set up in Settings signs what it sends through a real SMTP server — an ordinary
// message and a campaign message with its List-Unsubscribe headers — and mailauth's verifier, given the DNS
// record Settings shows, passes it; altered on the way, it does not.

let smtp: Awaited<ReturnType<typeof startRecordingSmtp>>;
let worker: DeliveryWorker;
let owner: TestUser;
let senderId: string;
type DkimView = {
  domain: string;
  selector: string;
  dnsRecord: { name: string; type: string; value: string };
};

beforeAll(async () => {
  smtp = await startRecordingSmtp();
  worker = startDeliveryWorker({ pollMs: 60_000, maxInFlight: 20 });
  owner = await signUpUser("Signer");
  senderId = (await addLoopbackSender(owner, smtp.port, { fromEmail: "news@acme.test" })).id;
});

afterAll(async () => {
  await worker.stop();
  closeAllPools();
  await smtp.close();
});

async function setUpDkim(json: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const res = await callRoute(putDkim, { method: "PUT", user: owner, params: { id: senderId }, json });
  return { status: res.status, body: await res.json() };
}

it("signs an ordinary and a campaign message; mailauth passes them with the record shown, and fails altered ones", async () => {
  const set = await setUpDkim({ selector: "SV1" });
  expect(set.status).toBe(200);
  const dkim = (set.body as { sender: { dkim: DkimView } }).sender.dkim;
  expect(dkim).toMatchObject({ domain: "acme.test", selector: "sv1" });
  expect(dkim.dnsRecord).toMatchObject({ name: "sv1._domainkey.acme.test", type: "TXT" });
  expect(dkim.dnsRecord.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]+$/);
  // The key is stored as an envelope, never answered.
  const row = await db.sender.findUniqueOrThrow({ where: { id: senderId } });
  expect(row.dkimKeyCipher).not.toContain("PRIVATE KEY");
  expect(JSON.stringify(set.body)).not.toContain(row.dkimKeyCipher!);
  expect(JSON.stringify(set.body)).not.toMatch(/PRIVATE KEY/);
  const published = { [dkim.dnsRecord.name]: dkim.dnsRecord.value };

  const sent = await callRoute(sendRoute, {
    method: "POST",
    user: owner,
    json: {
      idempotencyKey: crypto.randomUUID(),
      senderId,
      to: [{ address: "ann@example.com" }],
      subject: "Signed",
      html: "<p>Signed   mail</p>",
    },
  });
  expect(sent.status).toBe(202);
  await db.message.updateMany({ where: { userId: owner.id }, data: { nextAttemptAt: new Date() } });
  await worker.drain();
  const plain = smtp.mails.find((m) => m.to.includes("ann@example.com"))!;
  expect(await verifyDkim(plain.raw, published)).toEqual([
    expect.objectContaining({ result: "pass", domain: "acme.test" }),
  ]);

  const campaignId = await draftCampaign(owner, recipientsCsv(1, "list.test"), senderId);
  await startCampaignRoute(owner, campaignId);
  for (let i = 0; i < 50 && !smtp.mails.some((m) => m.to.includes("user1@list.test")); i++) {
    await feedCampaigns();
    await worker.drain();
  }
  const merged = smtp.mails.find((m) => m.to.includes("user1@list.test"))!;
  expect(merged.headers).toMatch(/^List-Unsubscribe: /m);
  expect(merged.headers).toMatch(/h=[a-z:-]*list-unsubscribe:list-unsubscribe-post/);
  expect(await verifyDkim(merged.raw, published)).toEqual([expect.objectContaining({ result: "pass" })]);
  // A relay that swaps the unsubscribe link breaks the signature.
  const swapped = merged.raw.replace(/\/api\/unsubscribe\/[^>]+>/, "/api/unsubscribe/someone-else>");
  expect(swapped).not.toBe(merged.raw);
  const [verdict] = await verifyDkim(swapped, published);
  expect(verdict!.result).not.toBe("pass");
});

it("imports a key, refuses a bad one or a bad selector (400 naming the field), and stops signing when removed", async () => {
  const badKey = await setUpDkim({
    selector: "sv2",
    privateKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
  });
  expect(badKey.status).toBe(400);
  expect(
    (badKey.body as { error: { fields: Record<string, unknown> } }).error.fields.privateKey,
  ).toBeDefined();
  const badSelector = await setUpDkim({ selector: "no spaces" });
  expect(badSelector.status).toBe(400);
  expect(
    (badSelector.body as { error: { fields: Record<string, unknown> } }).error.fields.selector,
  ).toBeDefined();

  const { generateKeyPairSync } = await import("node:crypto");
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  const imported = await setUpDkim({ selector: "sv2", privateKey: pem });
  expect(imported.status).toBe(200);
  expect((imported.body as { sender: { dkim: DkimView } }).sender.dkim.selector).toBe("sv2");

  const removed = await callRoute(removeDkim, { method: "DELETE", user: owner, params: { id: senderId } });
  expect(((await removed.json()) as { sender: { dkim: unknown } }).sender.dkim).toBeNull();
  expect((await db.sender.findUniqueOrThrow({ where: { id: senderId } })).dkimKeyCipher).toBeNull();
});
