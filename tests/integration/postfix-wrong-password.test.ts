import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import {
  freshAddresses,
  postfixSuiteSkipReason,
  startPostfixDelivery,
  stateOf,
  type PostfixDelivery,
} from "@/tests/support/postfix-delivery";

// A wrong password against a real Postfix with SASL through Dovecot. It has a Postfix of its own: Dovecot
// penalises an address after a failed login (later logins from 127.0.0.1 are answered seconds late), which
// would slow every case after it in a shared instance past the SMTP timeouts.

const skipReason = postfixSuiteSkipReason(env.databaseUrl);
if (skipReason) console.log(`Postfix integration tests skipped: ${skipReason}`);

let t: PostfixDelivery;

describe.skipIf(skipReason !== null)("a wrong password through a real Postfix", { timeout: 30_000 }, () => {
  beforeAll(async () => {
    t = await startPostfixDelivery({});
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  }, 60_000);

  it("a wrong password: one failed login, a clear reason, no retry storm", async () => {
    const logBefore = (await t.postfix.log()).length;
    const senderId = await t.addSender(t.postfix.ports.plain, "none", { password: "not-the-password" });
    const [a, b] = freshAddresses("wrongpw");
    const first = await t.enqueue(senderId, { to: [a] });
    const second = await t.enqueue(senderId, { to: [b] });
    await t.worker.drain();
    await t.worker.drain();

    const failedLogins =
      (await t.postfix.log()).slice(logBefore).match(/SASL \w+ authentication failed/g) ?? [];
    expect(failedLogins).toHaveLength(1);
    await expect.poll(() => t.postfix.authLog().match(/Password mismatch/g)?.length).toBe(1);
    for (const id of [first, second]) {
      expect(await stateOf(id)).not.toMatchObject({ status: "sent" });
      await t.expectArrivedOnce(id, []);
    }
    // Whichever of the two tried the login, the user is told why.
    expect(`${await t.viewText(first)} ${await t.viewText(second)}`).toMatch(/username or password/);
  });
});
