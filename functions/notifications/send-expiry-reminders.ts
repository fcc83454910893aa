import { logger } from '../../shared/logger';
import { expiryReminderJob } from '../../shared/wiring/notifications';

const job = expiryReminderJob();

/**
 * Runs on a schedule (hourly in the stack): mails the 7-day and 1-day reminders that are due. A
 * failure is rethrown so the scheduler's retry and the function's error metric see it.
 */
export async function handler(): Promise<{ considered: number; sent: number }> {
  const result = await job.run(new Date());
  logger.info('expiry reminders', result);
  return result;
}
