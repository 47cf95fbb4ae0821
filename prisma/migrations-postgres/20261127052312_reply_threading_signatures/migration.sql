-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "forwardOf" TEXT,
ADD COLUMN     "inReplyTo" TEXT,
ADD COLUMN     "references" TEXT;

-- AlterTable
ALTER TABLE "Sender" ADD COLUMN     "signatureHtml" TEXT;
