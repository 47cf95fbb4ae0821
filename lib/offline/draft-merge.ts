// The rules of drafts on every device, as pure functions (no Dexie, no fetch): which content counts as a change,
// how a conflict keeps both versions, and how the server's list merges into this device's.
import type { Draft } from "@/lib/offline/db";
import type { DraftView } from "@/lib/validation/drafts";

export const CONFLICT_SUFFIX = " (conflicted copy)";

type Content = Pick<
  Draft,
  | "senderId"
  | "to"
  | "cc"
  | "bcc"
  | "subject"
  | "html"
  | "quoteHtml"
  | "quotedText"
  | "inReplyTo"
  | "references"
  | "forwardOf"
  | "attachmentIds"
  | "files"
>;

/**
 * Same recipients, subject, body, sender, quoted original, thread and files: saving it again is no change (and must
 * not move the revision).
 */
export function sameDraftContent(a: Content, b: Content): boolean {
  const key = (d: Content) =>
    JSON.stringify([
      d.senderId,
      d.subject,
      d.html,
      d.quoteHtml ?? "",
      d.quotedText ?? "",
      d.inReplyTo ?? null,
      d.references ?? null,
      d.forwardOf ?? null,
      serverFileIds(d),
      [d.to, d.cc, d.bcc].map((list) => list.map((r) => [r.address, r.name ?? ""])),
    ]);
  return key(a) === key(b);
}

/** What the server keeps of a draft: the body of PUT /api/drafts/:id. */
export function draftContent(draft: Draft) {
  return {
    baseRevision: draft.serverRevision ?? 0,
    senderId: draft.senderId,
    to: draft.to,
    cc: draft.cc,
    bcc: draft.bcc,
    subject: draft.subject,
    html: draft.html,
    quoteHtml: draft.quoteHtml ?? "",
    quotedText: draft.quotedText ?? "",
    ...(draft.inReplyTo ? { inReplyTo: draft.inReplyTo } : {}),
    ...(draft.references ? { references: draft.references } : {}),
    ...(draft.forwardOf ? { forwardOf: draft.forwardOf } : {}),
    attachmentIds: serverFileIds(draft),
  };
}

/**
 * The draft's files the server has, as ids: the ones it carries as they are (a forward's) and the ones this device
 * uploaded. A file still waiting to upload stays on this device until it has an id.
 */
export function serverFileIds(draft: Pick<Draft, "attachmentIds" | "files">): string[] {
  const ids = [...(draft.attachmentIds ?? [])];
  for (const file of draft.files ?? []) if (file.attachmentId) ids.push(file.attachmentId);
  return [...new Set(ids)];
}

/** The server's draft as this device keeps it: in step with the server, nothing to send. */
export function fromServer(userId: string, server: DraftView): Draft {
  return {
    id: server.id,
    userId,
    senderId: server.senderId,
    to: server.to,
    cc: server.cc,
    bcc: server.bcc,
    subject: server.subject,
    html: server.html,
    ...(server.quoteHtml ? { quoteHtml: server.quoteHtml, quotedText: server.quotedText } : {}),
    ...(server.inReplyTo ? { inReplyTo: server.inReplyTo } : {}),
    ...(server.references ? { references: server.references } : {}),
    ...(server.forwardOf ? { forwardOf: server.forwardOf } : {}),
    ...(server.attachmentIds.length ? { attachmentIds: server.attachmentIds } : {}),
    updatedAt: Date.parse(server.updatedAt),
    serverRevision: server.revision,
    unsynced: false,
  };
}

/**
 * Two devices changed the same draft (the server's revision moved past the one this device's edit was based on).
 * Nothing is lost: the server's version becomes a separate draft titled as a conflicted copy, and this device's
 * version keeps the id — so the Compose screen open on it carries on — and is saved on the server's revision.
 */
export function resolveConflict(
  local: Draft,
  server: DraftView,
  newId: () => string,
): { copy: Draft; local: Draft } {
  const copy: Draft = {
    ...fromServer(local.userId, server),
    id: newId(),
    subject: conflictedSubject(server.subject),
    serverRevision: undefined,
    unsynced: true,
  };
  return { copy, local: { ...local, serverRevision: server.revision, unsynced: true } };
}

export function conflictedSubject(subject: string): string {
  const base = subject || "(no subject)";
  return base.endsWith(CONFLICT_SUFFIX) ? base : `${base}${CONFLICT_SUFFIX}`;
}

/**
 * Merges the server's list into this device's. Local changes not yet sent are left alone (sending them decides,
 * with a conflict if need be); drafts deleted here and not yet on the server stay deleted; a draft the server
 * had and no longer has was deleted or sent on another device, and goes here too — unless it changed here since.
 */
export function planPull(
  userId: string,
  local: Draft[],
  server: DraftView[],
  tombstoned: ReadonlySet<string>,
): { put: Draft[]; remove: string[] } {
  const localById = new Map(local.map((d) => [d.id, d]));
  const onServer = new Set(server.map((d) => d.id));
  const put: Draft[] = [];
  for (const s of server) {
    if (tombstoned.has(s.id)) continue;
    const mine = localById.get(s.id);
    if (!mine) put.push(fromServer(userId, s));
    else if (!mine.unsynced && (mine.serverRevision ?? 0) < s.revision) put.push(fromServer(userId, s));
  }
  const remove = local
    .filter((d) => !onServer.has(d.id) && d.serverRevision !== undefined && !d.unsynced)
    .map((d) => d.id);
  return { put, remove };
}
