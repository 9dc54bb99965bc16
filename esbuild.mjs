// Builds the extension host bundle (node, ES modules), msal-node's own file (node, cjs) and the webview bundle (browser).
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build results in the shape VS Code's esbuild problem matcher expects. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [problemMatcher],
};

/**
 * @azure/msal-node is only needed by the app-registration sign-in methods. The extension bundle refers to it
 * as `./msal.js`, a separate file that is read on first use, so activation does not parse it.
 */
const lazyMsal = {
  name: 'lazy-msal',
  setup(build) {
    build.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: './msal.js', external: true }));
  },
};

const configs = [
  {
    // An ES module with code splitting (VS Code loads `.mjs` entry points with `import`): activation reads the entry
    // and the chunks it imports; the rest (the services behind the views, pages, chat tools, desired state, history)
    // is read when first used.
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    // Chunks sit beside the entry: external paths such as `./msal.js` are not rewritten per chunk.
    chunkNames: 'chunk-[hash]',
    format: 'esm',
    splitting: true,
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    plugins: [problemMatcher, lazyMsal],
    metafile: true,
  },
  {
    ...common,
    entryPoints: { msal: 'src/auth/msalBundle.ts' },
    outdir: 'dist',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
  },
];
if (existsSync('src/webview-ui/main.ts')) {
  configs.push({
    ...common,
    entryPoints: { main: 'src/webview-ui/main.ts' },
    outdir: 'dist/webview',
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  });
}

// A rebuild must not leave chunks of an earlier build beside the new ones (.vscodeignore packs every dist/*.mjs).
for (const file of existsSync('dist') ? readdirSync('dist') : []) if (file.endsWith('.mjs') || file.endsWith('.mjs.map')) rmSync(`dist/${file}`);

const contexts = await Promise.all(configs.filter((c) => existsSync(Object.values(c.entryPoints)[0])).map((c) => esbuild.context(c)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
