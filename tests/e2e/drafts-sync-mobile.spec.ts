import { test } from "@playwright/test";
import {
  conflictKeepsBoth,
  deletedHereGoneThere,
  offlineEditSyncsOnReconnect,
  startedHereFinishedThere,
} from "./draft-scenarios";

test("on a phone: a draft started on one device is finished and sent on another, and leaves Drafts everywhere", async ({
  page,
  browser,
}, info) => {
  await startedHereFinishedThere(page, browser, info);
});

test("on a phone: a draft edited offline reaches the server when the connection returns", async ({
  page,
  context,
}) => {
  await offlineEditSyncsOnReconnect(page, context);
});

test("on a phone: two devices changing one draft keep both versions, and the user is told", async ({
  page,
  browser,
}, info) => {
  await conflictKeepsBoth(page, browser, info);
});

test("on a phone: a draft deleted on one device leaves Drafts on the other", async ({
  page,
  browser,
}, info) => {
  await deletedHereGoneThere(page, browser, info);
});
