import { maxInFlightFor, type SenderLimits } from "@/lib/delivery/sender-limits";

type Bucket = { tokens: number; at: number };
type DayCount = { count: number; checkedAt: number };

const DAY_MS = 86_400_000;
/** How long a per-day count read from the database is trusted (other workers send too). */
const DAY_COUNT_TTL_MS = 15_000;

/**
 * What each sender can take right now, for the worker's claims: free connections in its pool, tokens in its
 * per-second bucket, and what is left of its 24-hour allowance. The worker claims no more than this, so a long
 * queue stays in the database instead of piling up in memory.
 */
export class SenderCapacity {
  private readonly inFlight = new Map<string, number>();
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
   * How many of the sender's messages may start now; with none, when it is worth asking again (ms). While some
   * are in flight, room is only offered in batches of half the sender's allowance (see hasRoomToRefill).
   */
  async available(senderId: string, limits: SenderLimits): Promise<{ count: number; retryInMs?: number }> {
    const inFlight = this.inFlight.get(senderId) ?? 0;
    this.batch.set(senderId, refillBatch(limits));
    this.room.set(senderId, maxInFlightFor(limits));
    let count = maxInFlightFor(limits) - inFlight;
    if (count <= 0 || (inFlight > 0 && count < refillBatch(limits))) return { count: 0 };
    if (limits.maxPerSecond !== null) {
      const tokens = this.refill(senderId, limits.maxPerSecond);
      if (tokens < 1) return { count: 0, retryInMs: Math.ceil(((1 - tokens) / limits.maxPerSecond) * 1000) };
      count = Math.min(count, Math.floor(tokens));
    }
    if (limits.maxPerDay !== null) {
      const left = limits.maxPerDay - (await this.sentInLastDay(senderId));
      if (left <= 0) return { count: 0, retryInMs: 60_000 };
      count = Math.min(count, left);
    }
    return { count };
  }

  /** True when enough of the sender's messages have settled for a claim to be worth making. */
  hasRoomToRefill(senderId: string): boolean {
    const batch = this.batch.get(senderId);
    const inFlight = this.inFlight.get(senderId) ?? 0;
    return batch !== undefined && (inFlight === 0 || this.room.get(senderId)! - inFlight >= batch);
  }

  /** Records that `n` of the sender's messages were claimed. */
  take(senderId: string, n: number): void {
    this.inFlight.set(senderId, (this.inFlight.get(senderId) ?? 0) + n);
    const bucket = this.buckets.get(senderId);
    if (bucket) bucket.tokens -= n;
    const day = this.days.get(senderId);
    if (day) day.count += n;
  }

  /** One of the sender's messages is settled (sent, failed or back in the queue). */
  release(senderId: string): void {
    const left = (this.inFlight.get(senderId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(senderId, left);
    else this.inFlight.delete(senderId);
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

const refillBatch = (limits: SenderLimits) => Math.max(1, Math.floor(maxInFlightFor(limits) / 2));
