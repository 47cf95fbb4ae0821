-- AlterTable
ALTER TABLE "Message" ADD COLUMN "forwardOf" TEXT;
ALTER TABLE "Message" ADD COLUMN "inReplyTo" TEXT;
ALTER TABLE "Message" ADD COLUMN "references" TEXT;

-- AlterTable
ALTER TABLE "Sender" ADD COLUMN "signatureHtml" TEXT;
