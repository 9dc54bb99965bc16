import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { activationSet, staticImports } from '../../test/bench/activationSet';

describe('activationSet (what activation reads of the bundle)', () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'entra-actset-'));
  after(() => rmSync(dist, { recursive: true, force: true }));
  const files: Record<string, string> = {
    // As esbuild writes them: static imports first, minified; `vscode` is the host's, not a file.
    'extension.mjs': 'import{a as b}from"./chunk-A.mjs";import"./chunk-B.mjs";import*as v from"vscode";var l=()=>import("./chunk-C.mjs");export{l as activate};',
    'chunk-A.mjs': 'import{x}from"./chunk-B.mjs";var a=1;export{a};',
    'chunk-B.mjs': 'var x=2;export{x};',
    // Reached only through import(): read on first use, even though its text names another chunk.
    'chunk-C.mjs': 'import"./chunk-D.mjs";var c=3;export{c};',
    'chunk-D.mjs': 'var d=4;export{d};',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dist, name), text);
  const bytes = (...names: string[]): number => names.reduce((sum, n) => sum + Buffer.byteLength(files[n] ?? ''), 0);

  it('lists the leading static imports of a module, not import() and not what follows the first other statement', () => {
    assert.deepEqual(staticImports(files['extension.mjs'] ?? ''), ['./chunk-A.mjs', './chunk-B.mjs']);
    assert.deepEqual(staticImports('var a=1;import"./late.mjs";'), []);
    assert.deepEqual(staticImports('import x,{y as z}from"./one.mjs";import * as w from "./two.mjs";'), ['./one.mjs', './two.mjs']);
  });

  it('follows static imports from the entry and counts the rest as read on first use', () => {
    const set = activationSet(dist);
    assert.deepEqual(set.files, ['extension.mjs', 'chunk-A.mjs', 'chunk-B.mjs']);
    assert.equal(set.bytes, bytes('extension.mjs', 'chunk-A.mjs', 'chunk-B.mjs'));
    assert.equal(set.allBytes, bytes(...Object.keys(files)));
    assert.equal(set.lazyChunks, 2);
  });
});
