import { test } from "@playwright/test";
import {
  conflictKeepsBoth,
  deletedHereGoneThere,
  offlineEditSyncsOnReconnect,
  startedHereFinishedThere,
} from "./draft-scenarios";

test("a draft started on one device is finished and sent on another, and leaves Drafts everywhere", async ({
  page,
  browser,
}, info) => {
  await startedHereFinishedThere(page, browser, info);
});

test("a draft edited offline reaches the server when the connection returns", async ({ page, context }) => {
  await offlineEditSyncsOnReconnect(page, context);
});

test("two devices changing one draft keep both versions, and the user is told", async ({
  page,
  browser,
}, info) => {
  await conflictKeepsBoth(page, browser, info);
});

test("a draft deleted on one device leaves Drafts on the other", async ({ page, browser }, info) => {
  await deletedHereGoneThere(page, browser, info);
});
