"use client";
import { useState } from "react";
import { composeMessageHtml, splitComposedHtml } from "@/lib/compose/reply";
import type { Draft, OutgoingMessage } from "@/lib/offline/db";

// What a reply or forward carries beside what the user types: the quoted original (shown under the editor, sent
// after the signature), the threading headers, and the forwarded original. Kept with the draft and sent with
// the message, through the outbox when offline.

export type ComposeThread = Pick<
  Draft,
  "quoteHtml" | "quotedText" | "inReplyTo" | "references" | "forwardOf"
>;

export function useComposeThread() {
  const [thread, setThread] = useState<ComposeThread>({});

  /** Takes a draft's thread, and gives the HTML for the editor (a message taken back by Undo is split again). */
  function openThread(draft: Draft): string {
    const split = splitComposedHtml(draft.html);
    setThread(
      defined({
        quoteHtml: draft.quoteHtml ?? split.quoteHtml ?? undefined,
        quotedText: draft.quotedText,
        inReplyTo: draft.inReplyTo,
        references: draft.references,
        forwardOf: draft.forwardOf,
      }),
    );
    return split.body;
  }

  /** The message's HTML as sent (what the user wrote, the signature, the quote) and its thread fields. */
  function outgoing(
    body: string,
    signatureHtml: string | null | undefined,
  ): Pick<OutgoingMessage, "html" | "inReplyTo" | "references" | "forwardOf"> {
    return {
      html: composeMessageHtml({ body, signatureHtml, quoteHtml: thread.quoteHtml }),
      ...defined({ inReplyTo: thread.inReplyTo, references: thread.references, forwardOf: thread.forwardOf }),
    };
  }

  /** The quoted original's text, for the pre-send check's "unanswered questions". */
  function quotedText(): string | undefined {
    if (thread.quotedText) return thread.quotedText.slice(0, 20_000);
    if (!thread.quoteHtml) return undefined;
    const doc = new DOMParser().parseFromString(thread.quoteHtml, "text/html");
    return (doc.body.textContent ?? "").slice(0, 20_000) || undefined;
  }

  return {
    thread,
    openThread,
    outgoing,
    quotedText,
    /** What a draft keeps of the thread. */
    draftFields: () => defined(thread),
    clearThread: () => setThread({}),
    removeQuote: () => setThread(({ quoteHtml: _removed, quotedText: _text, ...rest }) => rest),
  };
}

/** The object without its undefined fields: the outbox and the request hash see the same keys. */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
