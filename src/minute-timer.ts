/** The production minute timer: node-cron, used for nothing but its once-a-minute beat. */
import cron from 'node-cron';
import type { MinuteTimer } from './clock.ts';

export const cronMinuteTimer: MinuteTimer = (onMinute) => {
  const task = cron.schedule('* * * * *', () => onMinute());
  return () => void task.stop();
};
