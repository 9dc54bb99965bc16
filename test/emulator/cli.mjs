// Starts the Graph emulator from the command line (see cliMain.ts for the options).
// Plain JavaScript so it runs without a TypeScript loader flag: it registers tsx
// itself — the ESM hooks and the CommonJS hooks, since this package's .ts files load as CommonJS.
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

register();
registerCjs();
const mod = await import('./cliMain.ts');
// Loaded as CommonJS, the exports may sit on `default`.
const main = mod.main ?? mod.default?.main;
try {
  await main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
}
