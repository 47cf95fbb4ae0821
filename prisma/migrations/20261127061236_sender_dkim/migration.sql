-- AlterTable
ALTER TABLE "Sender" ADD COLUMN "dkimDomain" TEXT;
ALTER TABLE "Sender" ADD COLUMN "dkimKeyCipher" TEXT;
ALTER TABLE "Sender" ADD COLUMN "dkimPublicKey" TEXT;
ALTER TABLE "Sender" ADD COLUMN "dkimSelector" TEXT;
