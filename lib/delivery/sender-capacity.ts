import { maxInFlightFor, type SenderLimits } from "@/lib/delivery/sender-limits";

type Bucket = { tokens: number; at: number };

/** What the worker as a whole has free as a claim is planned: message slots and characters of bodies. */
/** What the worker has free; `idle` when it holds no message at all (then a one-slot worker may use its slot). */
export type WorkerRoom = { freeSlots: number; freeChars: number; idle?: boolean };
type DayCount = { count: number; checkedAt: number };

const DAY_MS = 86_400_000;
/** How long a per-day count read from the database is trusted (other workers send too). */
const DAY_COUNT_TTL_MS = 15_000;

/**
 * What each sender can take right now, for the worker's claims: free connections in its pool, tokens in its
 * per-second bucket, what is left of its 24-hour allowance, and its share of the worker. The worker claims no
 * more than this, so a long queue stays in the database instead of piling up in memory.
 *
 * The share: a sender may hold at most half of what the worker has free plus what the sender already holds,
 * in message slots and in characters of bodies alike. Alone it gets half the worker; a second sender half of
 * the rest, and so on. A sender whose server stalls keeps only what it claimed before the stall, so the worker
 * always has room left for everyone else's mail (one sender's trouble never holds another sender's messages).
 *
 * The window: a sender starts with a few messages per connection and earns more as its server accepts them,
 * one more for each accepted (doubling with each round trip, as TCP's slow start), and is halved back by
 * messages that do not go through. A server that stalls keeps only a handful of messages waiting on it —
 * and when they time out together, a handful of outcomes to store, not hundreds at once.
 */
export class SenderCapacity {
  private readonly inFlight = new Map<string, number>();
  /** Per sender: how many of its messages it may hold by what its server has accepted (see above). */
  private readonly windows = new Map<string, number>();
  /** Characters of bodies each sender holds, as charged by `take`. */
  private readonly chars = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();
  private readonly days = new Map<string, DayCount>();
  /** Per sender: its in-flight allowance and the batch a refill waits for, as of its last claim. */
  private readonly room = new Map<string, number>();
  private readonly batch = new Map<string, number>();

  constructor(
    private readonly countSentSince: (senderId: string, since: Date) => Promise<number>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * How many of the sender's messages may start now, and how many characters of bodies they may have; with
   * none, when it is worth asking again (ms; none given: when its messages in flight settle). While some are
   * in flight, room is only offered in batches of half the sender's allowance (see hasRoomToRefill).
   */
  async available(
    senderId: string,
    limits: SenderLimits,
    worker: WorkerRoom,
  ): Promise<{ count: number; chars: number; retryInMs?: number }> {
    const inFlight = this.inFlight.get(senderId) ?? 0;
    const held = this.chars.get(senderId) ?? 0;
    const window = this.windows.get(senderId) ?? initialWindow(limits);
    // Half leaves room for others; but an idle worker with a single slot would otherwise never send anything.
    const slots = worker.idle
      ? Math.max(Math.min(1, worker.freeSlots), shareOf(worker.freeSlots, inFlight))
      : shareOf(worker.freeSlots, inFlight);
    const room = Math.min(maxInFlightFor(limits), slots, window);
    const batch = Math.max(1, Math.floor(room / 2));
    this.batch.set(senderId, batch);
    this.room.set(senderId, room);
    let count = room - inFlight;
    const chars = shareOf(worker.freeChars, held) - held;
    if (count <= 0 || chars <= 0 || (inFlight > 0 && count < batch)) return { count: 0, chars: 0 };
    if (limits.maxPerSecond !== null) {
      const tokens = this.refill(senderId, limits.maxPerSecond);
      if (tokens < 1)
        return { count: 0, chars: 0, retryInMs: Math.ceil(((1 - tokens) / limits.maxPerSecond) * 1000) };
      count = Math.min(count, Math.floor(tokens));
    }
    if (limits.maxPerDay !== null) {
      const left = limits.maxPerDay - (await this.sentInLastDay(senderId));
      if (left <= 0) return { count: 0, chars: 0, retryInMs: 60_000 };
      count = Math.min(count, left);
    }
    return { count, chars };
  }

  /** True when enough of the sender's messages have settled for a claim to be worth making. */
  hasRoomToRefill(senderId: string): boolean {
    const batch = this.batch.get(senderId);
    const inFlight = this.inFlight.get(senderId) ?? 0;
    return batch !== undefined && (inFlight === 0 || this.room.get(senderId)! - inFlight >= batch);
  }

  /** Records that `n` of the sender's messages were claimed, charged `chars` characters in all. */
  take(senderId: string, n: number, chars: number): void {
    this.inFlight.set(senderId, (this.inFlight.get(senderId) ?? 0) + n);
    this.chars.set(senderId, (this.chars.get(senderId) ?? 0) + chars);
    const bucket = this.buckets.get(senderId);
    if (bucket) bucket.tokens -= n;
    const day = this.days.get(senderId);
    if (day) day.count += n;
  }

  /**
   * One of the sender's messages, charged `chars`, is settled: `accepted` by its server, or not (failed, or
   * back in the queue). `limits` bound its window.
   */
  release(senderId: string, chars: number, accepted: boolean, limits: SenderLimits): void {
    const window = this.windows.get(senderId) ?? initialWindow(limits);
    this.windows.set(
      senderId,
      accepted
        ? Math.min(maxInFlightFor(limits), window + 1)
        : Math.max(initialWindow(limits), Math.floor(window / 2)),
    );
    const left = (this.inFlight.get(senderId) ?? 1) - 1;
    if (left > 0) {
      this.inFlight.set(senderId, left);
      this.chars.set(senderId, (this.chars.get(senderId) ?? chars) - chars);
    } else {
      this.inFlight.delete(senderId);
      this.chars.delete(senderId);
    }
  }

  private refill(senderId: string, perSecond: number): number {
    const now = this.now();
    const burst = Math.max(1, perSecond);
    const bucket = this.buckets.get(senderId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(senderId, bucket);
    return bucket.tokens;
  }

  private async sentInLastDay(senderId: string): Promise<number> {
    const now = this.now();
    const known = this.days.get(senderId);
    if (known && now - known.checkedAt < DAY_COUNT_TTL_MS) return known.count;
    const count = await this.countSentSince(senderId, new Date(now - DAY_MS));
    // Messages claimed but not yet sent are not in the database count: keep them in.
    const pending = this.inFlight.get(senderId) ?? 0;
    this.days.set(senderId, { count: count + pending, checkedAt: now });
    return count + pending;
  }
}

/** Where a sender's window starts: a few messages per connection. */
const initialWindow = (limits: SenderLimits) => limits.maxConnections * 4;

/** A sender's share of a worker resource: half of what is free plus what it already holds. */
const shareOf = (free: number, held: number) => Math.floor((Math.max(0, free) + held) / 2);
