import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/commands';
import { SettingKeys, USER_LEVEL_ONLY, type SettingName } from '../../src/shared/settingKeys';
import { CommandIds, HISTORY_CONTAINER_ID, ViewIds, VIEW_CONTAINER_ID } from '../../src/contributions';

interface Manifest {
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
    views: Record<string, Array<{ id: string }>>;
    viewsContainers: { activitybar: Array<{ id: string }>; panel: Array<{ id: string }> };
    viewsWelcome: Array<{ view: string; contents: string }>;
    configuration: { properties: Record<string, unknown> };
  };
}

const root = join(__dirname, '..', '..');
const raw = readFileSync(join(root, 'package.json'), 'utf8');
const manifest = JSON.parse(raw) as Manifest;
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

describe('package.json contributions match the code', () => {
  const declared = manifest.contributes.commands.map((c) => c.command).sort();
  const known = Object.values(CommandIds).sort();

  it('declares exactly the commands the code registers', () => {
    assert.deepEqual(declared, known);
    assert.deepEqual(Object.keys(COMMANDS).sort(), known);
  });

  it('puts every command in the "Entra ID" category with a localized title', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'Entra ID', c.command);
      assert.match(c.title, /^%[\w.]+%$/, c.command);
    }
  });

  it('menus reference only declared commands', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const e of entries) assert.ok(declared.includes(e.command), `${menu} → ${e.command}`);
    }
  });

  it('hides item-only commands from the palette', () => {
    const hidden = manifest.contributes.menus.commandPalette?.filter((e) => e.when === 'false').map((e) => e.command) ?? [];
    for (const id of [CommandIds.nodeRefresh, CommandIds.nodeLoadMore, CommandIds.nodeCopyId, CommandIds.nodeCopyUpn, CommandIds.nodeOpenInPortal]) {
      assert.ok(hidden.includes(id), id);
    }
  });

  it('declares the views and containers the code uses, with a sign-in welcome', () => {
    assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), [VIEW_CONTAINER_ID]);
    assert.deepEqual(manifest.contributes.viewsContainers.panel.map((c) => c.id), [HISTORY_CONTAINER_ID]);
    assert.deepEqual((manifest.contributes.views[VIEW_CONTAINER_ID] ?? []).map((v) => v.id).sort(), [ViewIds.users, ViewIds.groups].sort());
    assert.deepEqual((manifest.contributes.views[HISTORY_CONTAINER_ID] ?? []).map((v) => v.id), [ViewIds.history]);
    for (const view of Object.values(ViewIds)) {
      assert.ok(manifest.contributes.viewsWelcome.some((w) => w.view === view), view);
    }
  });

  it('has a string for every %placeholder%', () => {
    for (const [, key] of raw.matchAll(/"%([\w.]+)%"/g)) assert.ok(key && nls[key], `missing ${key}`);
  });

  it('declares exactly the settings the code reads', () => {
    assert.deepEqual(Object.keys(manifest.contributes.configuration.properties).sort(), Object.values(SettingKeys).sort());
  });

  it('keeps the settings that pick an endpoint, an app or a permission out of workspace settings, and says how it runs untrusted', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string; default?: unknown }>;
    const names = Object.keys(SettingKeys) as SettingName[];
    for (const name of names) {
      const scope = properties[SettingKeys[name]]?.scope;
      if (USER_LEVEL_ONLY.has(name)) assert.equal(scope, 'application', `${SettingKeys[name]} is user-level only`);
      else assert.notEqual(scope, 'application', `${SettingKeys[name]} may be set per workspace`);
    }
    assert.equal(properties['entraId.lm.enableWriteTools']?.default, false, 'chat write tools are off by default');
    const capabilities = (JSON.parse(raw) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: string } } }).capabilities;
    assert.equal(capabilities?.untrustedWorkspaces?.supported, true);
    assert.match(nls[(capabilities.untrustedWorkspaces.description ?? '').replace(/%/g, '')] ?? '', /user settings only/);
  });

  it('keeps to the design card: the top-level entries it names, and the JSON schema shipped from media/', () => {
    const allowed = new Set([
      'src', 'media', 'test', 'package.json', 'tsconfig.json', 'esbuild.mjs', '.vscodeignore',
      'README.md', 'CHANGELOG.md', 'LICENSE', 'SECURITY.md', 'package-lock.json', '.ci', 'eslint.config.mjs', '.gitignore',
      // VS Code's manifest localisation lives beside package.json by rule (%key% strings).
      'package.nls.json',
    ]);
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter((f) => f !== '');
    const top = [...new Set(tracked.map((f) => f.split('/')[0] as string))];
    assert.deepEqual(top.filter((f) => !allowed.has(f)), [], 'top-level entries outside the design card');
    const validations = (JSON.parse(raw) as { contributes: { jsonValidation?: Array<{ url: string }> } }).contributes.jsonValidation ?? [];
    assert.ok(validations.length > 0);
    for (const v of validations) {
      assert.match(v.url, /^\.\/media\//, v.url);
      assert.ok(existsSync(join(root, v.url)), `${v.url} exists`);
    }
  });
});
