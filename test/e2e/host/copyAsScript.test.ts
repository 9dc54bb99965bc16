/**
 * "Copy as…" of a desired-state plan in the real extension host: the Azure CLI script the command puts on the
 * clipboard is run by bash (with `az` replaced by a function that prints its arguments), and its calls are exactly
 * the requests the plan needs — derived here from the group's members in the emulator and the file, not from the
 * product's own plan.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { EmulatorControl, type GraphObject } from './emulatorControl';
import { within } from './wait';
import { acceptQuickInputUntil, activateExtension, closeAllEditors, productLog, track } from './workbench';

const em = EmulatorControl.fromEnvironment();

describe('a plan copied as an Azure CLI script', function () {
  this.timeout(90_000);
  const tag = Date.now().toString(36);
  let group: GraphObject;
  const users: Array<GraphObject & { userPrincipalName: string }> = [];
  let file: vscode.Uri;

  before(async () => {
    await activateExtension();
    await within('Sign In', 30_000, vscode.commands.executeCommand('entraId.signIn'));
    for (const name of ['Stays', 'Leaves', 'Joins']) users.push(await em.createUser(`Script ${name} ${tag}`));
    const [stays, leaves] = users;
    assert.ok(stays && leaves);
    group = await em.createSecurityGroup(`Script Check ${tag}`, { members: [stays.id, leaves.id] });
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder, 'the suite runs with a folder open');
    file = vscode.Uri.joinPath(folder, `script-check-${tag}.entra-group.json`);
  });

  after(async () => {
    await closeAllEditors();
    if (file) await vscode.workspace.fs.delete(file, { useTrash: false }).then(undefined, () => undefined);
    if (group?.id) await em.deleteGroup(group.id);
    for (const u of users) await em.deleteUser(u.id);
  });

  it('bash runs it, and it adds the member the file adds and removes the one it leaves out, nothing else', async () => {
    const [stays, leaves, joins] = users;
    assert.ok(stays && leaves && joins);
    const text = JSON.stringify({ group: { id: group.id, displayName: group.displayName }, members: [stays.userPrincipalName, joins.userPrincipalName] }, null, 2);
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.env.clipboard.writeText('');
    const run = track(vscode.commands.executeCommand('entraId.desiredState.copyAs', file));
    // The kinds are offered REST, PowerShell, Azure CLI: the last row is the bash script.
    await acceptQuickInputUntil('the Azure CLI script on the clipboard', async () => (await vscode.env.clipboard.readText()).includes('az rest'), { last: true, timeoutMs: 45_000 }).catch(async (error: unknown) => {
      throw new Error(`${String(error)}\n--- the extension's log ---\n${(await productLog()).slice(-3000)}`);
    });
    await run.result;
    const script = await vscode.env.clipboard.readText();
    assert.doesNotMatch(script, /Bearer|eyJ[A-Za-z0-9_-]{10,}/, 'no token');

    const stub = `az() { printf '%s\\0' "$@"; printf '\\n\\0'; }\n`;
    const out = execFileSync('bash', ['-c', `${stub}${script.replace(/^#!.*\n/, '')}`], { encoding: 'utf8' });
    const calls = out.split('\n\0').filter((c) => c !== '').map((c) => c.split('\0').filter((a) => a !== ''));
    const seen = calls.map((args) => {
      const opt = (name: string): string | undefined => {
        const i = args.indexOf(name);
        return i < 0 ? undefined : args[i + 1];
      };
      const body = opt('--body');
      return { verb: args[0], method: opt('--method'), url: opt('--url'), ...(body !== undefined ? { body: JSON.parse(body) as unknown } : {}) };
    });
    const groupUrl = `${em.graphUrl}/groups/${group.id}`;
    assert.deepEqual(seen, [
      { verb: 'rest', method: 'patch', url: groupUrl, body: { 'members@odata.bind': [`${em.graphUrl}/directoryObjects/${joins.id}`] } },
      { verb: 'rest', method: 'delete', url: `${groupUrl}/members/${leaves.id}/$ref` },
    ]);
  });
});
