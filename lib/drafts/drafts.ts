import "server-only";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { MAX_DRAFTS, type DraftView, type SaveDraftBody } from "@/lib/validation/drafts";
import type { Recipient } from "@/lib/validation/messages";

// Drafts on the server: every save names the revision it was based on. The save lands only on that revision
// (one conditional UPDATE, so two saves racing cannot both win); otherwise the caller hears 409 and keeps both
// versions (lib/offline/draft-sync.ts). Ids are per user (the table's key is userId + id).

export async function listDrafts(userId: string): Promise<DraftView[]> {
  const rows = await db.draft.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    take: MAX_DRAFTS,
  });
  return rows.map(toView);
}

export async function getDraftOrThrow(userId: string, id: string): Promise<DraftView> {
  const row = await db.draft.findUnique({ where: { userId_id: { userId, id } } });
  if (!row) throw new ApiError("not_found", "Draft not found.");
  return toView(row);
}

/**
 * Saves the draft when the server's copy is still at `baseRevision` (0: the draft is new), and returns it at its
 * new revision. A save repeated after a lost answer (same content) returns the stored draft instead of a conflict.
 */
export async function saveDraft(
  userId: string,
  id: string,
  input: SaveDraftBody,
): Promise<{ draft: DraftView; created: boolean }> {
  const { baseRevision, ...fields } = input;
  // A field left out is cleared (a draft that stopped being a reply), never kept from the older revision.
  const content = {
    ...fields,
    inReplyTo: fields.inReplyTo ?? null,
    references: fields.references ?? null,
    forwardOf: fields.forwardOf ?? null,
  };
  if (baseRevision > 0) {
    const { count } = await db.draft.updateMany({
      where: { userId, id, revision: baseRevision },
      data: { ...content, revision: { increment: 1 } },
    });
    if (count === 1) return { draft: await getDraftOrThrow(userId, id), created: false };
  } else {
    const created = await createDraft(userId, id, content);
    if (created) return { draft: created, created: true };
  }
  const current = await db.draft.findUnique({ where: { userId_id: { userId, id } } });
  if (!current) throw new ApiError("not_found", "This draft was deleted or sent on another device.");
  const view = toView(current);
  if (sameContent(view, content)) return { draft: view, created: false };
  throw new ApiError("conflict", "This draft was changed on another device.", {
    fields: {
      baseRevision: [`The draft is at revision ${current.revision} on the server, not ${baseRevision}.`],
    },
  });
}

export async function deleteDraft(userId: string, id: string): Promise<void> {
  const { count } = await db.draft.deleteMany({ where: { userId, id } });
  if (count === 0) throw new ApiError("not_found", "Draft not found.");
}

type DraftContent = Omit<SaveDraftBody, "baseRevision" | "inReplyTo" | "references" | "forwardOf"> & {
  inReplyTo: string | null;
  references: string | null;
  forwardOf: string | null;
};

async function createDraft(userId: string, id: string, content: DraftContent): Promise<DraftView | null> {
  if ((await db.draft.count({ where: { userId } })) >= MAX_DRAFTS) {
    throw new ApiError("conflict", `You have ${MAX_DRAFTS} drafts on the server. Delete some first.`);
  }
  try {
    return toView(await db.draft.create({ data: { userId, id, revision: 1, ...content } }));
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

function sameContent(a: DraftView, b: DraftContent): boolean {
  return (
    a.senderId === b.senderId &&
    a.subject === b.subject &&
    a.html === b.html &&
    a.quoteHtml === b.quoteHtml &&
    a.quotedText === b.quotedText &&
    (a.inReplyTo ?? null) === b.inReplyTo &&
    (a.references ?? null) === b.references &&
    (a.forwardOf ?? null) === b.forwardOf &&
    a.attachmentIds.join(" ") === b.attachmentIds.join(" ") &&
    recipientsKey([a.to, a.cc, a.bcc]) === recipientsKey([b.to, b.cc, b.bcc])
  );
}

// PostgreSQL's JSONB reorders an object's keys: compare what the recipients say, not how they were stored.
function recipientsKey(lists: Recipient[][]): string {
  return JSON.stringify(lists.map((list) => list.map((r) => [r.address, r.name ?? ""])));
}

function toView(row: {
  id: string;
  revision: number;
  senderId: string;
  to: unknown;
  cc: unknown;
  bcc: unknown;
  subject: string;
  html: string;
  quoteHtml: string;
  quotedText: string;
  inReplyTo: string | null;
  references: string | null;
  forwardOf: string | null;
  attachmentIds: unknown;
  updatedAt: Date;
}): DraftView {
  return {
    id: row.id,
    revision: row.revision,
    senderId: row.senderId,
    to: row.to as Recipient[],
    cc: row.cc as Recipient[],
    bcc: row.bcc as Recipient[],
    subject: row.subject,
    html: row.html,
    quoteHtml: row.quoteHtml,
    quotedText: row.quotedText,
    ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
    ...(row.references ? { references: row.references } : {}),
    ...(row.forwardOf ? { forwardOf: row.forwardOf } : {}),
    attachmentIds: Array.isArray(row.attachmentIds) ? (row.attachmentIds as string[]) : [],
    updatedAt: row.updatedAt.toISOString(),
  };
}
