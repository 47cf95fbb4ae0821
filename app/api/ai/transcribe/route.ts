// POST /api/ai/transcribe — dictation: an audio recording (multipart field "audio") becomes text.
import { ApiError } from "@/lib/api/errors";
import { readBytesWithLimit, withUser } from "@/lib/api/handler";
import { transcribeAudio } from "@/lib/ai/assistant";

const MAX_REQUEST_BYTES = 11 * 1024 * 1024;

export const POST = withUser(async (req, { user }) => {
  if (!/^multipart\/form-data/i.test(req.headers.get("content-type") ?? "")) {
    throw new ApiError(
      "unsupported_media_type",
      "Send the recording as multipart/form-data with an “audio” field.",
    );
  }
  // Read with a cap first: a chunked upload declares no length, and formData() alone would take any size.
  const body = await readBytesWithLimit(req, MAX_REQUEST_BYTES).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === "payload_too_large") {
      throw new ApiError("payload_too_large", "Recordings can be at most 10 MB; dictate in shorter pieces.");
    }
    throw error;
  });
  let audio: FormDataEntryValue | null;
  try {
    const form = new Response(new Uint8Array(body), {
      headers: { "content-type": req.headers.get("content-type")! },
    });
    audio = (await form.formData()).get("audio");
  } catch {
    throw new ApiError("bad_request", "The recording could not be read.");
  }
  if (!(audio instanceof File)) {
    throw new ApiError("validation_failed", "Attach the recording as “audio”.", {
      fields: { audio: ["Missing."] },
    });
  }
  return Response.json({ text: await transcribeAudio(user.id, audio, req.signal) });
});
