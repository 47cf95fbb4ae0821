-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "recipientOutcomes" JSONB;

-- Messages from before per-recipient outcomes: the recipients a server refused become "refused" entries (their
-- reason was not kept) next to the accepted ones, and a sent message with a refused recipient is partly delivered.
UPDATE "Message" SET
  "recipientOutcomes" = (
    SELECT jsonb_agg("entry") FROM (
      SELECT jsonb_build_object('address', a, 'state', 'accepted', 'attempt', "Message"."attempts") AS "entry"
      FROM jsonb_array_elements_text(COALESCE("Message"."accepted", '[]'::jsonb)) AS a
      UNION ALL
      SELECT jsonb_build_object('address', r, 'state', 'refused', 'attempt', "Message"."attempts")
      FROM jsonb_array_elements_text("Message"."rejected") AS r
    ) AS "entries"
  ),
  "status" = CASE WHEN "status" = 'sent' THEN 'partial' ELSE "status" END
WHERE jsonb_typeof("rejected") = 'array' AND "rejected" <> '[]'::jsonb;
