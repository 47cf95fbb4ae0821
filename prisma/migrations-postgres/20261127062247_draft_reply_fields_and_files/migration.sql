-- AlterTable
ALTER TABLE "Draft" ADD COLUMN     "attachmentIds" JSONB,
ADD COLUMN     "forwardOf" TEXT,
ADD COLUMN     "inReplyTo" TEXT,
ADD COLUMN     "quoteHtml" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "quotedText" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "references" TEXT;
