/**
 * Run by npm before `npm start` (the demo) and `npm test`: installs the Debian packages they need when it may, or
 * stops at once with the command to run.
 *
 *   node --import tsx test/e2e/checkSystem.ts start|test
 */
import { ensureSystemPackages } from './harness/systemPackages';

try {
  ensureSystemPackages(process.argv[2] === 'test' ? 'test' : 'start');
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
