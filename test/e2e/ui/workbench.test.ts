/** The packaged extension loads in the real workbench and contributes its activity-bar container and views. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { Workbench } from '../harness/browser';
import { e2e } from '../harness/context';
import { extensionId } from '../harness/manifest';

const CONTAINER = { id: 'entraId', title: 'Entra ID' };
const VIEWS = ['Users', 'Groups'];

describe('workbench', () => {
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await e2e().openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('loads with the extension installed from the vsix', async () => {
    const { manifest, profile } = e2e();
    const id = extensionId(manifest);
    const registry = path.join(profile.extensionsDir, 'extensions.json');
    assert.ok(existsSync(registry), 'the extensions folder has a registry');
    const entries = JSON.parse(readFileSync(registry, 'utf8')) as Array<{ identifier: { id: string }; version: string; relativeLocation: string }>;
    const entry = entries.find((e) => e.identifier.id.toLowerCase() === id.toLowerCase());
    assert.ok(entry, `${id} is installed`);
    assert.equal(entry.version, manifest.version);
    assert.ok(existsSync(path.join(profile.extensionsDir, entry.relativeLocation, 'package.json')));
    assert.ok(await workbench?.page.locator('.monaco-workbench').isVisible(), 'the workbench is shown');
  });

  it(`opens the "${CONTAINER.title}" activity-bar container showing the ${VIEWS.join(' and ')} views`, async () => {
    assert.ok(workbench);
    const container = await workbench.openViewContainer(CONTAINER.title, CONTAINER.id);
    for (const view of VIEWS) {
      await workbench.viewHeader(view, container).waitFor({ state: 'visible', timeout: 15_000 });
    }
    const titles = (await container.locator('.pane-header h3.title').allInnerTexts()).map((t) => t.trim().toLowerCase());
    for (const view of VIEWS) assert.ok(titles.includes(view.toLowerCase()), `view "${view}" among ${titles.join(', ')}`);
  });
});
