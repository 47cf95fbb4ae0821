// GET, PUT, DELETE /api/drafts/:id — one draft; PUT saves it on the revision it names (409 if that moved on).
import { ApiError } from "@/lib/api/errors";
import { parseBody, withUser } from "@/lib/api/handler";
import { deleteDraft, getDraftOrThrow, saveDraft } from "@/lib/drafts/drafts";
import { draftId, MAX_DRAFT_REQUEST_BYTES, saveDraftBody } from "@/lib/validation/drafts";

type Params = { id: string };

export const GET = withUser<Params>(async (_req, { user, params }) =>
  Response.json({ draft: await getDraftOrThrow(user.id, checkedId(params.id)) }),
);

export const PUT = withUser<Params>(async (req, { user, params }) => {
  const id = checkedId(params.id);
  const body = await parseBody(req, saveDraftBody, { maxBytes: MAX_DRAFT_REQUEST_BYTES });
  const { draft, created } = await saveDraft(user.id, id, body);
  return Response.json({ draft }, { status: created ? 201 : 200 });
});

export const DELETE = withUser<Params>(async (_req, { user, params }) => {
  await deleteDraft(user.id, checkedId(params.id));
  return new Response(null, { status: 204 });
});

function checkedId(id: string): string {
  const result = draftId.safeParse(id);
  if (!result.success)
    throw new ApiError("validation_failed", "id: A draft id is a UUID.", {
      fields: { id: ["A draft id is a UUID."] },
    });
  return result.data;
}
