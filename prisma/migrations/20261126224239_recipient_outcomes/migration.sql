-- AlterTable
ALTER TABLE "Message" ADD COLUMN "recipientOutcomes" JSONB;

-- Messages from before per-recipient outcomes: the recipients a server refused become "refused" entries (their
-- reason was not kept) next to the accepted ones, and a sent message with a refused recipient is partly delivered.
UPDATE "Message" SET
  "recipientOutcomes" = (
    SELECT json_group_array(json("entry")) FROM (
      SELECT json_object('address', a.value, 'state', 'accepted', 'attempt', "Message"."attempts") AS "entry"
      FROM json_each(COALESCE("Message"."accepted", '[]')) AS a
      UNION ALL
      SELECT json_object('address', r.value, 'state', 'refused', 'attempt', "Message"."attempts")
      FROM json_each("Message"."rejected") AS r
    )
  ),
  "status" = CASE WHEN "status" = 'sent' THEN 'partial' ELSE "status" END
WHERE json_type("rejected") = 'array' AND json_array_length("rejected") > 0;
