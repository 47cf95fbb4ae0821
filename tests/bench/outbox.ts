// npm run bench:outbox — 100 messages queued on the device while offline, then the connection returns: how
// long until the server has accepted all of them (target ≤ 1 s), and how many were lost or duplicated (0).
import { randomUUID } from "node:crypto";
import { chromium } from "@playwright/test";
import { chromiumLaunch } from "../../playwright.config";
import { benchPortFromEnv, signInCookie, startBenchServer } from "./server";

const QUEUED = 100;
const PORT = benchPortFromEnv();

async function main() {
  const server = await startBenchServer(
    PORT,
    process.env.BENCH_NO_WORKER ? { DELIVERY_WORKER_ENABLED: "false" } : {},
  );
  const browser = await chromium.launch(chromiumLaunch);
  try {
    const cookie = await signInCookie(
      server.baseUrl,
      `outbox-${randomUUID().slice(0, 8)}@example.com`,
      "benchmark password 1",
    );
    const [name, value] = cookie.split(/=(.*)/s) as [string, string];
    const api = (path: string) =>
      fetch(`${server.baseUrl}${path}`, { headers: { cookie } }).then((r) => r.json());
    const { user } = (await api("/api/account")) as { user: { id: string } };
    const { senders } = (await api("/api/senders")) as { senders: { id: string }[] };

    const context = await browser.newContext({ baseURL: server.baseUrl, permissions: ["background-sync"] });
    await context.addCookies([{ name, value, url: server.baseUrl }]);
    const page = await context.newPage();
    await page.goto("/compose");
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, {
      timeout: 30_000,
    });

    await context.setOffline(true);
    const run = randomUUID().slice(0, 8);
    const subjects = Array.from({ length: QUEUED }, (_, i) => `Outbox bench ${run} #${i + 1}`);
    // Queue exactly what Compose queues offline: one outbox row per message, then the sync registration.
    await page.evaluate(
      async ({ userId, senderId, subjects }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open("securevault");
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const tx = db.transaction("outbox", "readwrite", { durability: "strict" });
        subjects.forEach((subject, i) => {
          const key = crypto.randomUUID();
          tx.objectStore("outbox").put({
            key,
            userId,
            message: {
              idempotencyKey: key,
              senderId,
              to: [{ address: "bench@example.com" }],
              cc: [],
              bcc: [],
              subject,
              html: `<p>${subject}</p>`,
            },
            state: "queued",
            queuedAt: Date.now() + i,
            attempts: 0,
          });
        });
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & {
          sync: { register(tag: string): Promise<void> };
        };
        await registration.sync.register("securevault-outbox");
      },
      { userId: user.id, senderId: senders[0]!.id, subjects },
    );

    const started = performance.now();
    await context.setOffline(false);
    let accepted = 0;
    let acceptedMs = NaN;
    while (performance.now() - started < 60_000) {
      const { items } = (await api(
        `/api/messages?q=${encodeURIComponent(`outbox bench ${run}`)}&limit=100`,
      )) as { items: { subject: string }[] };
      accepted = items.length;
      if (accepted >= QUEUED) {
        acceptedMs = Math.round(performance.now() - started);
        break;
      }
      await new Promise((r) => setTimeout(r, 25));
    }

    // Then count what actually went out over SMTP (the sandbox mailbox), per subject.
    const copies = new Map<string, number>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      copies.clear();
      let cursor: string | null = null;
      do {
        const page_ = (await api(`/api/mailbox${cursor ? `?cursor=${cursor}` : ""}`)) as {
          items: { subject: string }[];
          nextCursor: string | null;
        };
        for (const m of page_.items)
          if (m.subject.startsWith(`Outbox bench ${run}`))
            copies.set(m.subject, (copies.get(m.subject) ?? 0) + 1);
        cursor = page_.nextCursor;
      } while (cursor);
      if (copies.size >= QUEUED) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const lost = subjects.filter((s) => !copies.has(s)).length;
    const duplicated = [...copies.values()].reduce((n, c) => n + (c - 1), 0);

    console.log(
      `queued offline: ${QUEUED}; accepted by the server: ${accepted} in ${acceptedMs} ms after reconnecting (target ≤ 1000 ms)`,
    );
    console.log(
      `delivered over SMTP: ${copies.size} distinct, lost ${lost}, duplicated ${duplicated} (target 0 and 0)`,
    );
    console.log(JSON.stringify({ bench: "outbox", queued: QUEUED, acceptedMs, lost, duplicated }));
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
