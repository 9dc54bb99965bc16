/** Where the end-to-end harness reads and writes; every path is absolute and derived from this file's location. */
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** Ignored cache for Node 24 and code-server; reused across runs. */
export const cacheDir = path.join(repoRoot, '.vscode-test');
/** Ignored folder for screenshots and logs of failed runs. */
export const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
/** Where the extension-host suite is bundled to (ignored `out/`). */
export const hostSuiteOutDir = path.join(repoRoot, 'out', 'e2e-host');
