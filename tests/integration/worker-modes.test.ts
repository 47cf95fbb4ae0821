import { expect, it } from "vitest";
import type { DeliveryStore } from "@/lib/delivery/store";
import { deliveryStore } from "@/lib/delivery/store";
import { startDeliveryWorker } from "@/lib/delivery/worker";
import { wakeDeliveryWorker } from "@/lib/delivery/wake";

// The worker's loop and its named modes (lib/delivery/worker.ts), around a store that records what is asked.
function countingStore(change: Partial<DeliveryStore> = {}) {
  const asked = { findDueSenders: 0 };
  const store: DeliveryStore = {
    ...deliveryStore,
    findDueSenders: async (...args) => {
      asked.findDueSenders += 1;
      return (change.findDueSenders ?? deliveryStore.findDueSenders)(...args);
    },
  };
  return { store, asked };
}

it("with nothing due it polls; a wake makes it look again; stop ends in stopping", async () => {
  const { store, asked } = countingStore();
  const worker = startDeliveryWorker({ pollMs: 60_000, store });
  await worker.drain();
  expect(worker.mode()).toBe("polling");
  const looked = asked.findDueSenders;
  expect(looked).toBeGreaterThan(0);
  wakeDeliveryWorker();
  await worker.drain();
  expect(asked.findDueSenders).toBeGreaterThan(looked);
  await worker.stop();
  expect(worker.mode()).toBe("stopping");
});

it("a pass that fails is logged and the worker goes back to polling, ready for the next", async () => {
  let failures = 0;
  const { store } = countingStore({
    findDueSenders: async () => {
      failures += 1;
      throw new Error("database unavailable");
    },
  });
  const worker = startDeliveryWorker({ pollMs: 60_000, store });
  await worker.drain();
  await worker.drain();
  expect(failures).toBeGreaterThanOrEqual(2);
  expect(worker.mode()).toBe("polling");
  await worker.stop();
});
