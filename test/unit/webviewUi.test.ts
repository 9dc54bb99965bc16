/**
 * The browser bundle in a real Chromium (Debian's, or CHROMIUM_PATH), under the page skeleton and CSP the panels serve.
 * Chromium is a test prerequisite that .ci/run installs; without it this suite fails rather than hiding.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { UI_STRING_KEYS, type UiStrings, type ViewKind, type WebviewMessage } from '../../src/webviews/protocol';
import { assertPageClean, openView, postedBy, postToPage, startWebviewBrowser, untilPosted, type WebviewBrowser } from '../support/webviewPage';

const strings = Object.fromEntries(UI_STRING_KEYS.map((k) => [k, `[${k}]`])) as UiStrings;
const GUIDS = ['2f7c1a4e-9a51-4a0e-8a7e-1b2c3d4e5f60', '3f7c1a4e-9a51-4a0e-8a7e-1b2c3d4e5f61'];
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

let at: WebviewBrowser;

const open = (view: ViewKind): Promise<Page> => openView(at, view);
const post = postToPage;
const posted = postedBy;
const last = async (page: Page): Promise<WebviewMessage | undefined> => (await posted(page)).at(-1);
const focusedId = (page: Page): Promise<string> => page.evaluate('document.activeElement && document.activeElement.id');
const buttonsDisabled = (page: Page): Promise<boolean[]> => page.evaluate("[...document.querySelectorAll('button')].map((b) => b.disabled)");
/** [Save/Create disabled, Cancel disabled]. */
const submitAndCancelDisabled = (page: Page): Promise<[boolean, boolean]> =>
  page.evaluate("[document.querySelector('button[type=submit]').disabled, document.querySelector('.actions:not(.alert-actions) button.secondary').disabled]");

const until = untilPosted;

const assertClean = assertPageClean;

const groupInit = { type: 'init', state: { view: 'groupForm', strings, mode: 'create', loading: false, values: { kind: 'security', displayName: '', mailNickname: '', description: '', visibility: '', ownerIds: [], memberIds: [] } } };

describe('webview UI in Chromium', () => {
  before(async () => {
    at = await startWebviewBrowser();
  });
  after(async () => {
    await at?.browser.close();
  });

  it('creates a group from the keyboard: derived nickname, live checks, people search, Enter, Escape', async () => {
    const page = await open('groupForm');
    assert.deepEqual(await posted(page), [{ type: 'ready' }]);
    await post(page, groupInit);
    assert.equal(await focusedId(page), 'f-kind', 'focus starts on the first field');

    await page.fill('#f-displayName', 'Équipe Café');
    assert.equal(await page.inputValue('#f-mailNickname'), 'EquipeCafe');
    await page.fill('#f-mailNickname', 'bad nick');
    assert.equal(await page.textContent('#f-mailNickname-error'), '[ruleNoSpaces]');
    assert.equal(await page.getAttribute('#f-mailNickname', 'aria-invalid'), 'true');
    await page.fill('#f-mailNickname', 'cafe');
    assert.equal(await page.textContent('#f-mailNickname-error'), '');

    await page.fill('#f-ownerIds', 'ad');
    const search = await until(page, (m) => m.type === 'searchUsers');
    assert.ok(search?.type === 'searchUsers' && search.term === 'ad');
    await post(page, { type: 'searchResult', requestId: search.requestId, users: [{ id: GUIDS[0], displayName: HOSTILE, detail: 'x@contoso.com' }, { id: GUIDS[1], displayName: 'Adam', detail: 'adam@contoso.com' }] });
    assert.equal(await page.getAttribute('#f-ownerIds', 'aria-expanded'), 'true');
    assert.equal(await page.getAttribute('#f-ownerIds', 'aria-activedescendant'), 'f-ownerIds-opt-0', 'the first suggestion is highlighted');
    assert.equal(await page.getAttribute('#f-ownerIds-opt-0', 'aria-selected'), 'true');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('.chip .name'), HOSTILE, 'Enter picked the highlighted suggestion, shown as text');

    const sent = (await posted(page)).length;
    await page.fill('#f-ownerIds', 'ada');
    const again = await until(page, (m) => m.type === 'searchUsers' && m.term === 'ada', sent);
    await post(page, { type: 'searchResult', requestId: again.type === 'searchUsers' ? again.requestId : -1, users: [{ id: GUIDS[1], displayName: 'Adam', detail: 'adam@contoso.com' }, { id: 'bbbbbbbb-9a51-4a0e-8a7e-1b2c3d4e5f62', displayName: 'Ada', detail: 'ada@contoso.com' }] });
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getAttribute('#f-ownerIds', 'aria-activedescendant'), 'f-ownerIds-opt-1', 'arrows move the highlight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    assert.deepEqual(await page.locator('.chip .name').allTextContents(), [HOSTILE, 'Adam']);

    await page.focus('#f-displayName');
    await page.keyboard.press('Enter');
    const submit = await last(page);
    assert.ok(submit?.type === 'submit' && submit.form === 'createGroup');
    assert.deepEqual(submit.values, { kind: 'security', displayName: 'Équipe Café', mailNickname: 'cafe', description: '', visibility: '', ownerIds: [GUIDS[0], GUIDS[1]], memberIds: [] });
    assert.deepEqual(await submitAndCancelDisabled(page), [true, false], 'Create is disabled while the request runs; Cancel is not');

    await post(page, { type: 'validation', requestId: submit.requestId, errors: [{ field: 'mailNickname', message: 'Taken.' }] });
    assert.equal(await page.textContent('#f-mailNickname-error'), 'Taken.');
    assert.equal(await focusedId(page), 'f-mailNickname');
    assert.ok((await buttonsDisabled(page)).every((d) => !d));
    assert.equal(await page.getAttribute('.form-alert', 'role'), 'alert');

    await page.keyboard.press('Escape');
    assert.deepEqual(await last(page), { type: 'cancel' });
    await assertClean(page);
    await page.close();
  });

  it('refuses Create while a person is typed but not chosen, with the message on that field; the summary follows the fields', async () => {
    const page = await open('groupForm');
    const worded = { ...strings, unpickedPerson: "You typed '{0}' but did not choose a person." };
    await post(page, { ...groupInit, state: { ...groupInit.state, strings: worded } });
    await page.fill('#f-displayName', 'Project Avery');
    await page.fill('#f-memberIds', 'avery');
    await page.click('button[type=submit]');
    assert.equal(await page.textContent('#f-memberIds-error'), "You typed 'avery' but did not choose a person.");
    assert.equal(await page.getAttribute('#f-memberIds', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('.form-alert'), '[fixErrors]');
    assert.equal(await focusedId(page), 'f-memberIds', 'focus goes to the field');
    assert.equal((await posted(page)).filter((m) => m.type === 'submit').length, 0, 'nothing was sent');

    await page.fill('#f-memberIds', '');
    assert.equal(await page.textContent('#f-memberIds-error'), '', 'an empty box is fine');
    assert.equal(await page.textContent('.form-alert'), '', 'no field shows an error: the summary goes');
    await page.fill('#f-displayName', '');
    assert.equal(await page.textContent('.form-alert'), '[fixErrors]', 'an error came back after the submit: so does the summary');
    await page.fill('#f-displayName', 'Project Avery');
    assert.equal(await page.textContent('.form-alert'), '');

    const sent = (await posted(page)).length;
    await page.fill('#f-memberIds', 'avery');
    // This search's answer; one from before the submit would be stale and rightly ignored.
    const search = await until(page, (m) => m.type === 'searchUsers' && m.term === 'avery', sent);
    await post(page, { type: 'searchResult', requestId: search.type === 'searchUsers' ? search.requestId : -1, users: [{ id: GUIDS[1], displayName: 'Avery Lee', detail: 'avery@contoso.com' }] });
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('#f-memberIds-error'), '');
    await page.click('button[type=submit]');
    const submit = await last(page);
    assert.ok(submit?.type === 'submit' && submit.form === 'createGroup');
    assert.deepEqual(submit.values.memberIds, [GUIDS[1]]);
    await page.close();
  });

  it('Cancel during a save stops it and keeps the form; an unknown outcome offers Refresh', async () => {
    const page = await open('userForm');
    const values = { displayName: 'Ada', givenName: 'Ada', surname: '', jobTitle: '', department: '', officeLocation: '', mobilePhone: '', businessPhone: '', usageLocation: 'GB', city: '', country: '', companyName: '', accountEnabled: true };
    await post(page, { type: 'init', state: { view: 'userForm', strings, loading: false, subject: 'ada@contoso.com', values } });
    await page.fill('#f-jobTitle', 'Analyst');
    await page.click('button[type=submit]');
    const submit = await last(page);
    assert.ok(submit?.type === 'submit');
    assert.equal(await page.textContent('.form-status'), '[saving]');
    await page.click('.actions:not(.alert-actions) button.secondary');
    assert.deepEqual(await last(page), { type: 'cancelRequest', requestId: submit.requestId });
    assert.equal(await page.textContent('.form-status'), '[stopping]');
    await page.keyboard.press('Escape');
    assert.deepEqual(await last(page), { type: 'cancelRequest', requestId: submit.requestId }, 'asked once; the form does not close');

    const message = 'Cancelled. The change may already have been applied. Refresh to see the current values.';
    await post(page, { type: 'result', requestId: submit.requestId, ok: false, error: { code: 'Cancelled', message, outcomeUnknown: true } });
    assert.equal(await page.textContent('.form-alert'), message, 'in words, without the code');
    assert.equal(await page.inputValue('#f-jobTitle'), 'Analyst', 'the typed value is kept');
    assert.deepEqual(await submitAndCancelDisabled(page), [false, false]);
    await page.getByRole('button', { name: '[refresh]' }).click();
    assert.deepEqual(await last(page), { type: 'action', action: 'refresh' });

    await page.click('button[type=submit]');
    const second = await last(page);
    assert.ok(second?.type === 'submit');
    assert.equal(await page.getByRole('button', { name: '[refresh]' }).count(), 0, 'Refresh goes with the alert');
    await post(page, { type: 'notSaved', requestId: second.requestId, message: 'Not saved.' });
    assert.equal(await page.textContent('.form-status'), 'Not saved.');
    assert.equal(await page.textContent('.form-alert'), '');
    assert.equal(await page.inputValue('#f-jobTitle'), 'Analyst');
    await page.keyboard.press('Escape');
    assert.deepEqual(await last(page), { type: 'cancel' }, 'with nothing running, Escape closes the form');
    await assertClean(page);
    await page.close();
  });

  it('keeps a draft when the page is rebuilt and ignores malformed messages', async () => {
    const page = await open('groupForm');
    await post(page, groupInit);
    await page.fill('#f-displayName', 'Draft name');
    const saved: unknown = await page.evaluate('window.__state');
    await post(page, { type: 'init', state: { view: 'groupForm', strings: { save: 'x' }, loading: false } });
    await post(page, { type: 'bogus' });
    assert.equal(await page.inputValue('#f-displayName'), 'Draft name', 'malformed messages change nothing');

    const rebuilt = await open('groupForm');
    await rebuilt.evaluate(`window.__state = ${JSON.stringify(saved)}`);
    await post(rebuilt, groupInit);
    assert.equal(await rebuilt.inputValue('#f-displayName'), 'Draft name');
    await page.close();
    await rebuilt.close();
  });

  it('edits a user: nothing to save until something changed, then one request, refreshed in place', async () => {
    const page = await open('userForm');
    const values = { displayName: 'Ada', givenName: 'Ada', surname: '', jobTitle: '', department: '', officeLocation: '', mobilePhone: '', businessPhone: '', usageLocation: 'GB', city: '', country: '', companyName: '', accountEnabled: true };
    await post(page, { type: 'init', state: { view: 'userForm', strings, loading: false, subject: 'ada@contoso.com', values } });
    assert.equal(await focusedId(page), 'f-displayName');
    await page.keyboard.press('Enter');
    assert.equal(await page.textContent('.form-alert'), '[noChanges]');
    assert.equal((await posted(page)).length, 1);

    await page.fill('#f-jobTitle', 'Analyst');
    await page.click('button[type=submit]');
    const submit = await last(page);
    assert.ok(submit?.type === 'submit' && submit.form === 'editUser' && submit.values.jobTitle === 'Analyst');
    await post(page, { type: 'init', state: { view: 'userForm', strings, loading: false, subject: 'ada@contoso.com', values: { ...values, jobTitle: 'Analyst' } } });
    assert.deepEqual(await submitAndCancelDisabled(page), [true, false], 'still waiting for the answer after the refresh');
    await post(page, { type: 'result', requestId: submit.requestId, ok: true, message: 'Saved.' });
    assert.equal(await page.textContent('.form-status'), 'Saved.');
    assert.equal(await page.inputValue('#f-jobTitle'), 'Analyst');
    await assertClean(page);
    await page.close();
  });

  it('renders a profile as text and turns buttons into actions', async () => {
    const page = await open('profile');
    await post(page, {
      type: 'init',
      state: {
        view: 'profile', strings, loading: false,
        user: { id: GUIDS[0], displayName: HOSTILE, userPrincipalName: 'ada@contoso.com', fields: [{ key: 'jobTitle', value: HOSTILE }, { key: 'mail', value: '' }] },
        manager: { id: GUIDS[1], displayName: 'Grace', detail: 'grace@contoso.com' }, groups: [],
      },
    });
    assert.equal(await page.textContent('h1'), HOSTILE);
    assert.equal(await page.textContent('#groups-heading'), '[groups] (0)');
    await page.click('#open-manager');
    await page.click('#copy-id');
    assert.deepEqual((await posted(page)).slice(1), [{ type: 'action', action: 'openManager' }, { type: 'action', action: 'copyId' }]);
    await assertClean(page);
    await page.close();
  });
});
