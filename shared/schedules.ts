import type { Grant } from './routes';

/**
 * The jobs that run on a schedule rather than on a request. Like the route table, the stack reads
 * this list and gives each job its own function with exactly the IAM its `grants` list.
 */
export interface ScheduledJob {
  /** Stable id: construct ids and function names derive from it. */
  readonly id: string;
  readonly description: string;
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly handler: string;
  /** How often it runs. */
  readonly everyMinutes: number;
  readonly grants: readonly Grant[];
}

export const SCHEDULES = [
  {
    id: 'SendExpiryReminders',
    description: 'Latchkey: mails 7-day and 1-day expiry reminders',
    handler: 'functions/notifications/send-expiry-reminders.ts',
    // Hourly: a key created with less than a day to live still gets its reminder within the hour.
    everyMinutes: 60,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
] as const satisfies readonly ScheduledJob[];
