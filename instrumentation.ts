// Runs once when the Next.js server starts: brings up the sandbox mailbox and the delivery worker.
export async function register() {
  // NEXT_RUNTIME is set by Next itself (not configuration), so it is read here rather than through lib/env.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootServices } = await import("@/lib/server/boot");
    await bootServices();
  }
}
