/**
 * What activation reads of the production bundle: dist/extension.mjs and every chunk it imports statically, followed
 * through their own static imports. Chunks reached only through `import()` are read on first use and are not part of
 * it. Read from the built files themselves (esbuild writes each module's static imports first, as `import … from "./x"`
 * or `import "./x"`), not from the bundler's own account of them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ActivationSet {
  /** The files activation reads, entry first. */
  files: string[];
  bytes: number;
  /** Every .mjs file of the bundle, read at activation or later. */
  allBytes: number;
  /** Chunks read only on first use. */
  lazyChunks: number;
}

/** The relative specifiers of a module's leading static imports (the statements before its first other statement). */
export function staticImports(source: string): string[] {
  const found: string[] = [];
  const statement = /^\s*import\s*(?:[\w$]+\s*,?\s*)?(?:\*\s*as\s+[\w$]+\s*|\{[^}]*\}\s*)?(?:from\s*)?"([^"]+)";?/;
  let rest = source.replace(/^#!.*\n/, '');
  for (let m = statement.exec(rest); m; m = statement.exec(rest)) {
    const specifier = m[1] ?? '';
    if (specifier.startsWith('./') || specifier.startsWith('../')) found.push(specifier);
    rest = rest.slice(m[0].length);
  }
  return found;
}

export function activationSet(distFolder: string, entry = 'extension.mjs'): ActivationSet {
  const dist = path.resolve(distFolder);
  const seen = new Set<string>();
  const queue = [path.join(dist, entry)];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) queue.push(path.resolve(path.dirname(file), specifier));
  }
  const files = [...seen];
  const all = readdirSync(dist).filter((f) => f.endsWith('.mjs')).map((f) => path.join(dist, f));
  const size = (f: string): number => statSync(f).size;
  return {
    files: files.map((f) => path.relative(dist, f)),
    bytes: files.reduce((sum, f) => sum + size(f), 0),
    allBytes: all.reduce((sum, f) => sum + size(f), 0),
    lazyChunks: all.filter((f) => !seen.has(f)).length,
  };
}
