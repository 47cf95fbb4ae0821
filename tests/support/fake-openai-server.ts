// Runs the fake OpenAI-compatible server as its own process for the end-to-end suite (see playwright.config.ts).
// Unscripted chat requests get "no findings", so the pre-send check stays out of the way of other tests.
import { startFakeOpenAI } from "./fake-openai";

const port = Number(process.argv[2] ?? 3191);
void startFakeOpenAI({ kind: "json", content: { findings: [] } }, port).then((s) =>
  console.log(`fake OpenAI on ${s.baseUrl}`),
);
