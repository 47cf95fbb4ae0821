"use client";
// The Outbox lives in this device's database: its list, with Dexie (about 30 KB gzip), is a chunk of its own that
// hydrates after the rest of the screen instead of weighing on the first load. Still rendered on the server.
import dynamic from "next/dynamic";

export const OutboxScreen = dynamic(() =>
  import("@/components/outbox/outbox-list").then((m) => m.OutboxList),
);
