// The replies an SMTP session is waiting for, in the order its commands were written (RFC 2920: replies come
// back in command order), each with its own time limit: the greeting, a command's reply, or the final reply
// after a message's data (RFC 5321 §4.5.3.2 gives these different limits; the final one is 10 minutes).

import type { SmtpReply } from "@/lib/mail/smtp-reply";

export type ReplyWait = "greeting" | "command" | "final";

export type ReplyLimits = { greeting: number; command: number; final: number };

type Awaited = { onReply: (reply: SmtpReply) => void; wait: ReplyWait };

export class AwaitedReplies {
  private queue: (Awaited | undefined)[] = [];
  private head = 0;
  /** Since when the reply at the head has been awaited (its command's write, or the reply before it). */
  private headSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly limits: ReplyLimits,
    /** The reply at the head did not come within its limit. */
    private readonly onTimeout: (wait: ReplyWait, limitMs: number) => void,
    /** A reply nobody waited for (a 421 before a hang-up, or a protocol error). */
    private readonly onUnexpected: (reply: SmtpReply) => void,
  ) {}

  get empty(): boolean {
    return this.head === this.queue.length;
  }

  expect(onReply: (reply: SmtpReply) => void, wait: ReplyWait = "command"): void {
    if (this.empty) this.headSince = performance.now();
    this.queue.push({ onReply, wait });
    this.arm();
  }

  /** Hands a reply to the oldest waiter. */
  dispatch(reply: SmtpReply): void {
    const awaited = this.queue[this.head];
    if (!awaited) return this.onUnexpected(reply);
    this.queue[this.head++] = undefined; // let the closure go
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.headSince = performance.now();
    awaited.onReply(reply);
  }

  /** The session is over: nothing more is awaited, and no timer stays behind. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue = [];
    this.head = 0;
  }

  private limitOf(wait: ReplyWait): number {
    return this.limits[wait];
  }

  /**
   * One timer for the reply at the head of the line. It never sleeps longer than the shortest limit, so a head
   * that changes from a long wait (a final reply) to a short one (a command's) is still checked in time, and a
   * reply costs no timer work at all — only a timestamp.
   */
  private arm(): void {
    if (this.timer || this.stopped) return;
    const awaited = this.queue[this.head];
    if (!awaited) return;
    const shortest = Math.min(this.limits.command, this.limits.greeting);
    const left = this.limitOf(awaited.wait) - (performance.now() - this.headSince);
    this.timer = setTimeout(() => this.check(), Math.max(0, Math.min(left, shortest)));
    this.timer.unref();
  }

  private check(): void {
    this.timer = undefined;
    const awaited = this.queue[this.head];
    if (!awaited || this.stopped) return;
    const limit = this.limitOf(awaited.wait);
    if (performance.now() - this.headSince < limit) return this.arm();
    this.onTimeout(awaited.wait, limit);
  }
}
