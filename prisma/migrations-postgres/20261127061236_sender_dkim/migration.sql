-- AlterTable
ALTER TABLE "Sender" ADD COLUMN     "dkimDomain" TEXT,
ADD COLUMN     "dkimKeyCipher" TEXT,
ADD COLUMN     "dkimPublicKey" TEXT,
ADD COLUMN     "dkimSelector" TEXT;
