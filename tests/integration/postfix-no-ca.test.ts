import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as testConnection } from "@/app/api/senders/[id]/test/route";
import { env } from "@/lib/env";
import { callRoute } from "@/tests/support/api";
import {
  freshAddresses,
  postfixSuiteSkipReason,
  startPostfixDelivery,
  stateOf,
  type PostfixDelivery,
} from "@/tests/support/postfix-delivery";

// postfix.test.ts's Postfix and its private CA, without the CA setting: nothing trusts the certificate on the
// submission and smtps ports, nothing is sent, and the user is told it is the certificate (not the TLS offer).

vi.hoisted(() => {
  delete process.env.SMTP_CA_FILE;
});

const skipReason = postfixSuiteSkipReason(env.databaseUrl);
if (skipReason) console.log(`Postfix integration tests skipped: ${skipReason}`);

let t: PostfixDelivery;

describe.skipIf(skipReason !== null)(
  "a private CA's certificate without the CA setting",
  { timeout: 30_000 },
  () => {
    beforeAll(async () => {
      t = await startPostfixDelivery({});
    }, 60_000);

    afterAll(async () => {
      await t?.stop();
    }, 60_000);

    it.each([
      ["STARTTLS (587-style)", "submission", "starttls"],
      ["implicit TLS (465-style)", "smtps", "tls"],
    ] as const)("%s is refused as an untrusted certificate", async (_name, port, security) => {
      const senderId = await t.addSender(t.postfix.ports[port], security);
      const [a] = freshAddresses(`no-ca-${port}`);
      const id = await t.enqueue(senderId, { to: [a] });
      await t.worker.drain();
      expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
      await t.expectArrivedOnce(id, []);
      const view = await t.viewText(id);
      expect(view).toMatch(/certificate/i);
      expect(view).not.toMatch(/did not offer/);

      // Test connection names the same problem.
      const res = await callRoute(testConnection, { method: "POST", user: t.user, params: { id: senderId } });
      const { result } = (await res.json()) as { result: { ok: boolean; message: string } };
      expect(result.ok).toBe(false);
      expect(result.message).toMatch(/certificate/i);
    });
  },
);
