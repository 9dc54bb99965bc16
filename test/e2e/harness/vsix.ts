/** Packages the extension the way it ships (`npm run package`) and installs the .vsix into a throwaway profile. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { codeServerEnv, type CodeServerProfile } from './codeServer';
import type { CodeServerInstall } from './installCodeServer';
import { log } from './log';
import { repoRoot } from './paths';
import { runToCompletion } from './processes';

/** The path `npm run package` writes to (see package.json). */
export const VSIX_RELATIVE_PATH = path.join('dist-vsix', 'entra-directory.vsix');

/** Runs `npm run package` in the extension folder and returns the .vsix path. */
export async function packageVsix(extensionRoot: string = repoRoot): Promise<string> {
  const vsix = path.join(extensionRoot, VSIX_RELATIVE_PATH);
  const before = existsSync(vsix) ? statSync(vsix).mtimeMs : 0;
  // vsce does not create the --out folder.
  mkdirSync(path.dirname(vsix), { recursive: true });
  await runToCompletion('npm run package', 'npm', ['run', 'package'], { cwd: extensionRoot, timeoutMs: 5 * 60_000 });
  if (!existsSync(vsix) || statSync(vsix).mtimeMs === before) {
    throw new Error(`npm run package did not write ${vsix}`);
  }
  log('vsix', `packaged ${path.relative(extensionRoot, vsix)} (${Math.round(statSync(vsix).size / 1024)} KB)`);
  return vsix;
}

/** `code-server --install-extension file.vsix --force` into the profile's user-data and extensions folders. */
export async function installVsix(install: CodeServerInstall, vsix: string, profile: CodeServerProfile): Promise<void> {
  const output = await runToCompletion(
    'install-extension',
    install.nodeBin,
    [install.entry, '--config', profile.configFile, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix, '--force'],
    { env: codeServerEnv(install, profile), timeoutMs: 2 * 60_000 },
  );
  if (!/successfully installed/i.test(output)) {
    throw new Error(`installing ${vsix} did not report success:\n${output}`);
  }
  log('vsix', `installed into ${profile.extensionsDir}`);
}
