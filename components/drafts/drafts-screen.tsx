"use client";
// Drafts live in this device's database: the list, with Dexie (about 30 KB gzip), is a chunk of its own that
// hydrates after the rest of the screen instead of weighing on the first load. Still rendered on the server.
import dynamic from "next/dynamic";

export const DraftsScreen = dynamic(() =>
  import("@/components/drafts/drafts-list").then((m) => m.DraftsList),
);
