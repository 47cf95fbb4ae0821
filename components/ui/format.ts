export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * "just now", "3 min ago", "in 2 h", "yesterday 14:05", "12 Mar" or "12 Mar 2025": short enough for a list row,
 * always in the reader's time zone.
 */
export function formatRelativeTime(iso: string, now: number): string {
  const at = new Date(iso);
  const diffMin = Math.round((at.getTime() - now) / 60_000);
  const abs = Math.abs(diffMin);
  if (abs < 1) return "just now";
  if (abs < 60) return diffMin < 0 ? `${abs} min ago` : `in ${abs} min`;
  if (abs < 6 * 60) {
    const hours = Math.round(abs / 60);
    return diffMin < 0 ? `${hours} h ago` : `in ${hours} h`;
  }
  const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const today = new Date(now);
  if (sameDay(at, today)) return `today ${time}`;
  const yesterday = new Date(now - 86_400_000);
  if (sameDay(at, yesterday)) return `yesterday ${time}`;
  const tomorrow = new Date(now + 86_400_000);
  if (sameDay(at, tomorrow)) return `tomorrow ${time}`;
  return at.toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    ...(at.getFullYear() === today.getFullYear() ? {} : { year: "numeric" }),
  });
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function recipientsText(list: { address: string; name?: string }[]): string {
  return list.map((r) => r.name || r.address).join(", ");
}

/** An address as people know it: "::ffff:127.0.0.1" (IPv4 seen through an IPv6 socket) is 127.0.0.1. */
export function displayIp(ip: string): string {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
}
