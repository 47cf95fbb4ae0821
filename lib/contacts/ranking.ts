// How address suggestions are ranked: every message to or from a person counts, a recent one more than an old
// one. Each counts its weight halved for every HALF_LIFE_DAYS of age, so the score is "how often, lately":
// one message today (1) outranks four from three months ago (4 × 1/8 = 0.5) but not ten (1.25).

export const HALF_LIFE_DAYS = 30;
/** A message the user sent to someone says more than one received from them. */
export const WEIGHTS = { sent: 1, received: 0.5 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export type Interaction = { address: string; name?: string; at: number; kind: keyof typeof WEIGHTS };

export type Contact = {
  address: string;
  name?: string;
  score: number;
  /** How many messages went to or came from them. */
  count: number;
  lastAt: number;
};

/** One interaction's share of a score, `now` being when the ranking is made. */
export function interactionScore(kind: keyof typeof WEIGHTS, at: number, now: number): number {
  const ageDays = Math.max(0, now - at) / DAY_MS;
  return WEIGHTS[kind] * 0.5 ** (ageDays / HALF_LIFE_DAYS);
}

/** Folds interactions into contacts (addresses compared without case), best first; the latest name wins. */
export function rankContacts(interactions: Iterable<Interaction>, now: number): Contact[] {
  const byAddress = new Map<string, Contact & { nameAt: number }>();
  for (const i of interactions) {
    const key = i.address.toLowerCase();
    const c = byAddress.get(key) ?? { address: key, score: 0, count: 0, lastAt: 0, nameAt: -1 };
    c.score += interactionScore(i.kind, i.at, now);
    c.count += 1;
    c.lastAt = Math.max(c.lastAt, i.at);
    if (i.name && i.at >= c.nameAt) {
      c.name = i.name;
      c.nameAt = i.at;
    }
    byAddress.set(key, c);
  }
  return [...byAddress.values()].map(({ nameAt: _nameAt, ...c }) => c).sort(byRank);
}

export function byRank(a: Contact, b: Contact): number {
  return b.score - a.score || b.lastAt - a.lastAt || a.address.localeCompare(b.address);
}

/** Whether what is typed starts the address, its domain, or a word of the name (without case). */
export function matchesPrefix(contact: Pick<Contact, "address" | "name">, prefix: string): boolean {
  const p = prefix.trim().toLowerCase();
  if (!p) return true;
  const address = contact.address.toLowerCase();
  if (address.startsWith(p) || address.slice(address.indexOf("@") + 1).startsWith(p)) return true;
  const name = (contact.name ?? "").toLowerCase();
  return name.startsWith(p) || name.split(/[\s.,'"-]+/).some((word) => word.startsWith(p));
}

/**
 * This device's list and the server's, as one: the server knows every device's mail, this device what it sent
 * since (offline too). Per address the higher score and later time win; best first, at most `limit`.
 */
export function mergeContacts(local: Contact[], server: Contact[], limit: number): Contact[] {
  const merged = new Map<string, Contact>();
  for (const c of [...server, ...local]) {
    const key = c.address.toLowerCase();
    const prev = merged.get(key);
    if (!prev) merged.set(key, { ...c, address: key });
    else
      merged.set(key, {
        address: key,
        name: (c.lastAt >= prev.lastAt ? c.name : prev.name) ?? prev.name ?? c.name,
        score: Math.max(prev.score, c.score),
        count: Math.max(prev.count, c.count),
        lastAt: Math.max(prev.lastAt, c.lastAt),
      });
  }
  return [...merged.values()].sort(byRank).slice(0, limit);
}
