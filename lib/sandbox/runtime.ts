// Shared between the instrumentation bundle (which starts the sandbox) and route handlers (which read it):
// Next.js may load this module more than once, so the state lives on globalThis.
type SandboxRuntime = { port: number | null };
const g = globalThis as unknown as { securevaultSandbox?: SandboxRuntime };

export const sandboxRuntime: SandboxRuntime = (g.securevaultSandbox ??= { port: null });
