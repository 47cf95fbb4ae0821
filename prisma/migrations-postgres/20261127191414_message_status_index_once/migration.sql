-- DropIndex
DROP INDEX "Message_status_nextAttemptAt_idx";
