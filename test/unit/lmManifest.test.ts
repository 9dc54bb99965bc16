import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GraphClient } from '../../src/core';
import { ContextKeys } from '../../src/contributions';
import { LmToolNames, registerLmTools, WRITE_TOOLS_SETTING } from '../../src/lm/tools';
import { LM_TOOLS } from '../../src/lm/toolSet';
import { registeredTools } from '../support/vscodeFake';
import { makeHarness } from './lmHarness';

interface ManifestTool {
  name: string;
  displayName: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  userDescription: string;
  modelDescription: string;
  tags: string[];
  icon: string;
  when?: string;
  inputSchema: { type: string; properties: Record<string, { type: string; description?: string }>; required?: string[]; additionalProperties: boolean };
}

const root = join(__dirname, '..', '..');

/** The tools as package.json declares them, with `%key%` strings resolved through package.nls.json. */
function manifestTools(): ManifestTool[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { languageModelTools: ManifestTool[] } };
  const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const resolve = (value: string): string => {
    const key = /^%([\w.]+)%$/.exec(value)?.[1];
    if (key === undefined) return value;
    const text = nls[key];
    assert.ok(text, `package.nls.json has ${key}`);
    return text;
  };
  return pkg.contributes.languageModelTools.map((t) => ({ ...t, displayName: resolve(t.displayName), userDescription: resolve(t.userDescription) }));
}

describe('languageModelTools contribution', () => {
  const tools = manifestTools();
  const byName = new Map(tools.map((t) => [t.name, t]));

  it('declares exactly the twelve registered tools', () => {
    assert.deepEqual([...byName.keys()].sort(), Object.keys(LM_TOOLS).sort());
    assert.deepEqual(Object.values(LmToolNames).sort(), Object.keys(LM_TOOLS).sort());
    assert.equal(tools.length, 12);
  });

  it('declares the same input schema the tools check at run time', () => {
    for (const [name, def] of Object.entries(LM_TOOLS)) {
      assert.deepEqual(byName.get(name)?.inputSchema, JSON.parse(JSON.stringify(def.inputSchema)), name);
    }
  });

  it('describes every tool fully', () => {
    const references = new Set<string>();
    for (const t of tools) {
      assert.match(t.name, /^entra_[a-z0-9_]+$/);
      assert.equal(t.toolReferenceName, t.name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()));
      assert.ok(!references.has(t.toolReferenceName));
      references.add(t.toolReferenceName);
      assert.equal(t.canBeReferencedInPrompt, true);
      assert.ok(t.displayName.length > 5 && t.userDescription.length > 20 && t.modelDescription.length > 150, t.name);
      assert.match(t.icon, /^\$\([a-z-]+\)$/);
      assert.deepEqual(t.tags.slice(0, 3), ['entra', 'microsoft-graph', 'directory']);
      assert.equal(t.inputSchema.type, 'object');
      assert.equal(t.inputSchema.additionalProperties, false);
      for (const required of t.inputSchema.required ?? []) assert.ok(required in t.inputSchema.properties, `${t.name}: ${required}`);
      for (const [prop, schema] of Object.entries(t.inputSchema.properties)) assert.ok(schema.description, `${t.name}.${prop} has no description`);
    }
  });

  it('hides exactly the write tools when the setting is off (its default) or read-only mode is on', () => {
    const setting = `config.${WRITE_TOOLS_SETTING}`;
    for (const [name, def] of Object.entries(LM_TOOLS)) {
      assert.equal(byName.get(name)?.when, def.write ? `${setting} && !${ContextKeys.readOnly}` : undefined, name);
    }
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
    // Off until the user turns them on (SECURITY.md: directory text reaches the model and may steer it).
    assert.equal(pkg.contributes.configuration.properties[WRITE_TOOLS_SETTING]?.default, false);
  });

  it('caps lists at 1..999 and offers the enums the core accepts', () => {
    const capped = tools.filter((t) => t.inputSchema.properties.maxItems !== undefined);
    assert.ok(capped.length > 0, 'some tool takes maxItems');
    for (const t of capped) {
      const max = t.inputSchema.properties.maxItems as { minimum?: number; maximum?: number };
      assert.deepEqual([max.minimum, max.maximum], [1, 999], t.name);
    }
    const create = byName.get('entra_create_group')?.inputSchema.properties as Record<string, { enum?: string[] }>;
    assert.deepEqual(create.kind?.enum, ['security', 'microsoft365']);
    assert.deepEqual(create.visibility?.enum, ['Public', 'Private', 'HiddenMembership']);
  });
});

describe('registerLmTools', () => {
  it('registers every declared tool with vscode.lm and unregisters on dispose', () => {
    const h = makeHarness(() => new GraphClient({ baseUrl: 'https://graph.example.test/v1.0', getAccessToken: () => Promise.resolve('t') }));
    const disposables = registerLmTools(() => h.services);
    assert.deepEqual([...registeredTools.keys()].sort(), manifestTools().map((t) => t.name).sort());
    for (const tool of registeredTools.values()) {
      assert.equal(typeof tool.invoke, 'function');
      assert.equal(typeof tool.prepareInvocation, 'function');
    }
    for (const d of disposables) d.dispose();
    assert.equal(registeredTools.size, 0);
  });
});
