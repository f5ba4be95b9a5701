/**
 * `npm start`: starts the bot from the environment (and `.env`) and stops it cleanly on
 * Ctrl+C or SIGTERM (see process.ts). A problem at start-up ends with one clear message and exit code 1.
 */
import 'dotenv/config';
import { consoleLogger, systemClock } from './clock.ts';
import { runProcess } from './process.ts';

process.on('unhandledRejection', (error) => consoleLogger.error('unhandled rejection', error));

await runProcess(process.env, { clock: systemClock, random: Math.random, logger: consoleLogger, args: process.argv.slice(2) });
