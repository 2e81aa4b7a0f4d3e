/** Validation of job schedules (CONTRACT §2: `jobs[].schedule` is a 5-field cron expression). */
import { Cron } from 'croner';

/** Fields of a schedule, in order, for the error message. */
const CRON_FIELDS = 'minute hour day-of-month month day-of-week';

/**
 * Checks a job schedule with croner (the library the job scheduler runs on), in its `5-part`
 * mode, and refuses nicknames (`@hourly`) and 6/7-field forms so every schedule reads the same.
 *
 * @returns `undefined` when valid, else the reason, written to follow the quoted schedule.
 */
export function checkCronSchedule(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5 || expression.trim().startsWith('@')) {
    return `is not a 5-field cron expression (${CRON_FIELDS}), e.g. "*/15 * * * *"`;
  }
  let cron: Cron | undefined;
  try {
    cron = new Cron(expression, { paused: true, mode: '5-part' });
    if (cron.nextRun() === null) return 'never runs (no date matches it)';
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : String(error);
    return `is not a valid cron expression: ${reason}`;
  } finally {
    cron?.stop();
  }
}
