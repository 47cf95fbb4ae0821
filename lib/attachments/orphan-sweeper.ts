import "server-only";
import { removeOrphanAttachments } from "@/lib/attachments/attachments";
import { log } from "@/lib/log/logger";

const EVERY_MS = 60 * 60 * 1000;

/**
 * Removes unused uploads once an hour in the process that delivers (lib/delivery/service.ts), and once soon
 * after start. Returns the stop function.
 */
export function startOrphanSweeper(): () => void {
  const sweep = () =>
    void removeOrphanAttachments().catch((error) =>
      log.warn({ err: error }, "could not remove unused attachments"),
    );
  const first = setTimeout(sweep, 30_000);
  const timer = setInterval(sweep, EVERY_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
