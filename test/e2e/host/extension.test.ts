/** Runs inside the real extension host: the packaged manifest and the registered commands agree. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { HOST_ENV } from './protocol';

const EXTENSION_ID = 'entra-directory.entra-directory';

interface Manifest {
  publisher: string;
  name: string;
  contributes?: { commands?: Array<{ command: string }> };
}

function readManifest(root: string): Manifest {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
}

describe('extension', () => {
  it(`is present as ${EXTENSION_ID}, activates, and registers every command its package.json declares`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);

    const root = process.env[HOST_ENV.extensionRoot] ?? extension.extensionPath;
    const manifest = readManifest(root);
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID, 'package.json publisher.name');

    await extension.activate();
    assert.equal(extension.isActive, true, 'extension is active');

    const declared = (manifest.contributes?.commands ?? []).map((c) => c.command).sort();
    assert.ok(declared.length > 0, 'package.json declares commands');
    const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith('entraId.')));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
  });
});
