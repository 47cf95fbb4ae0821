// Shared between the instrumentation bundle (which starts the sandbox) and route handlers (which read it):
// Next.js may load this module more than once, so the state is one per process.
import { processSingleton } from "@/lib/server/singleton";
type SandboxRuntime = { port: number | null };

export const sandboxRuntime: SandboxRuntime = processSingleton("sandbox", () => ({ port: null }));
