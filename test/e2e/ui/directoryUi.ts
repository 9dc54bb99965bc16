/**
 * What the UI scenarios share: the Entra ID views as a user sees them (rows, view-title actions, context menus,
 * the status bar, the forms) and the emulator's directory and request log.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { get as httpsGet } from 'node:https';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { GroupRecord, RequestLogEntry, UserRecord } from '../../emulator';
import { makeGroup, makeUser } from '../../emulator/directory/factories';
import { launchBrowser, Workbench, type E2EBrowser } from '../harness/browser';
import { createProfile, isolatedHome, removeProfile, startCodeServer, type CodeServerProfile, type RunningCodeServer } from '../harness/codeServer';
import { e2e, type Emulator } from '../harness/context';
import { extensionEnv, extensionSettings, writeCaBundle } from '../harness/environment';
import { ensureCodeServer } from '../harness/installCodeServer';
import { extensionId } from '../harness/manifest';
import { repoRoot } from '../harness/paths';
import { onShutdown } from '../harness/processes';
import { installVsix, VSIX_RELATIVE_PATH } from '../harness/vsix';

export const CONTAINER = { id: 'entraId', title: 'Entra ID' } as const;
/** The History view has the panel container to itself. */
export const HISTORY_CONTAINER = { id: 'entraIdHistory', title: 'Entra ID History' } as const;
export type ViewName = 'Users' | 'Groups' | 'History';

/** One rendered row of a tree, as the accessibility tree describes it. */
export interface TreeRow {
  /** Position in the flattened tree (`data-index`), stable while nothing above it expands or collapses. */
  index: number;
  name: string;
  level: number;
  setSize: number;
  expanded: boolean | undefined;
}

/** Polls `probe` until it returns something other than undefined/false; fails after `timeoutMs` naming `what`. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How a user row is named for assistive technology: the display name on one line, ", disabled" for disabled accounts. */
export function userRowName(user: Pick<UserRecord, 'displayName' | 'userPrincipalName' | 'id' | 'accountEnabled'>): string {
  const name = oneLine(user.displayName) || user.userPrincipalName || user.id;
  return user.accountEnabled ? name : `${name}, disabled`;
}

/**
 * How a group row is named: "Name, Kind", the kind as Graph defines it ("Working with groups in Microsoft Graph"):
 * "Unified" in groupTypes makes a Microsoft 365 group; otherwise mail and security enabled make a mail-enabled security
 * group, mail alone a distribution list, and anything else a security group. "DynamicMembership" puts "Dynamic" in front.
 */
export function groupRowName(group: Pick<GroupRecord, 'displayName' | 'groupTypes' | 'mailEnabled' | 'securityEnabled' | 'id'>): string {
  const kind = group.groupTypes.includes('Unified')
    ? 'Microsoft 365'
    : group.mailEnabled && group.securityEnabled
      ? 'Mail-enabled security'
      : group.mailEnabled
        ? 'Distribution list'
        : 'Security';
  const shown = !group.groupTypes.includes('DynamicMembership') ? kind : kind === 'Microsoft 365' ? `Dynamic ${kind}` : `Dynamic ${kind.charAt(0).toLowerCase()}${kind.slice(1)}`;
  return `${oneLine(group.displayName) || group.id}, ${shown}`;
}

/**
 * Directory text as a tree row shows it: on one line (line breaks and tabs become spaces), bidi and other control
 * characters as U+FFFD (visible, so "Invoice \u202Efdp.exe" cannot pass for "Invoice exe.pdf"), invisible format
 * characters dropped except the joiners scripts need, trimmed, at most 256 characters ending in "…".
 */
function oneLine(text: string | null): string {
  const shown = (text ?? '')
    .replace(/\r\n|[\r\n\t\v\f\u2028\u2029\u0085]/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g, '\ufffd')
    .replace(/(?![\u200c\u200d])\p{Cf}/gu, '')
    .trim();
  return shown.length <= 256 ? shown : `${shown.slice(0, 255)}…`;
}

/** A short random tag for names of objects a test creates, so each test works on objects nobody else touches. */
export function freshTag(): string {
  return randomUUID().replace(/[^a-z]/g, '').slice(0, 6).padEnd(6, 'x');
}

/** A tenant of the run's emulator to seed: the home tenant (`e2e().emulator`) or one of `emulator.otherTenants`. */
export type SeedTenant = Pick<Emulator, 'state' | 'domain'>;

/**
 * Adds a cloud-only user straight to `tenant`'s directory, its sign-in name made of `alias` (made safe for a UPN) at the
 * tenant's domain; `fields` sets the rest (an enabled account unless it says otherwise).
 */
export function seedUser(tenant: SeedTenant, alias: string, fields: Partial<UserRecord>): UserRecord {
  const local = alias.toLowerCase().replace(/[^a-z0-9.]/g, '');
  const user = makeUser({ id: randomUUID(), userPrincipalName: `${local}@${tenant.domain}`, accountEnabled: true, ...fields });
  tenant.state.addUser(user);
  return user;
}

/** The kinds of group Graph knows, by the properties that make them. */
export type SeedKind = 'security' | 'microsoft365' | 'mailEnabledSecurity' | 'distribution';

/**
 * Adds a cloud-only group straight to `tenant`'s directory: a security group unless `kind` (or `microsoft365`)
 * says otherwise; `dynamic` gives it a membership rule.
 */
export function seedGroup(
  tenant: SeedTenant,
  displayName: string,
  options: { description?: string; microsoft365?: boolean; kind?: SeedKind; dynamic?: boolean; memberIds?: string[] } = {},
): GroupRecord {
  const nickname = displayName.replace(/[^A-Za-z0-9]/g, '').slice(0, 64);
  const mail = `${nickname}@${tenant.domain}`;
  const kind: SeedKind = options.kind ?? (options.microsoft365 ? 'microsoft365' : 'security');
  const properties = {
    security: { groupTypes: [], mailEnabled: false, securityEnabled: true },
    microsoft365: { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, mail, visibility: 'Public' },
    mailEnabledSecurity: { groupTypes: [], mailEnabled: true, securityEnabled: true, mail },
    distribution: { groupTypes: [], mailEnabled: true, securityEnabled: false, mail },
  }[kind];
  const group = makeGroup({
    id: randomUUID(),
    displayName,
    mailNickname: nickname,
    description: options.description ?? null,
    ...properties,
    ...(options.dynamic
      ? { groupTypes: [...properties.groupTypes, 'DynamicMembership'], membershipRule: `user.department -eq "Dept ${nickname}"`, membershipRuleProcessingState: 'On' }
      : {}),
  });
  tenant.state.addGroup(group);
  for (const id of options.memberIds ?? []) tenant.state.addMember(group.id, id);
  return group;
}

/** Enabled users whose display name no other user shares, in the directory's own order (the views sort by name). */
export function distinctUsers(emulator: Emulator): UserRecord[] {
  const users = [...emulator.state.users()];
  const count = new Map<string, number>();
  for (const u of users) count.set(plainName(u), (count.get(plainName(u)) ?? 0) + 1);
  return users.filter((u) => u.accountEnabled && count.get(plainName(u)) === 1);
}

/** Member users other than the signed-in one with plain names (hostile text has a suite of its own), for a file's own group. */
export function plainMembers(emulator: Emulator): UserRecord[] {
  return distinctUsers(emulator).filter((u) => u.id !== emulator.signedInUserId && u.userType !== 'Guest' && /^[A-Za-z][\w' -]*$/.test(u.displayName ?? '') && /^[a-z0-9.]+@/i.test(u.userPrincipalName));
}

/** A user's row name without the ", disabled" mark. */
export function plainName(user: Pick<UserRecord, 'displayName' | 'userPrincipalName' | 'id'>): string {
  return userRowName({ ...user, accountEnabled: true });
}

/** Marks the requests tests make themselves, so that `requests()` leaves them out (the emulator logs names lower-case). */
const FIXTURE_HEADER = 'x-e2e-fixture';

/**
 * Requests the extension made (Graph and sign-in), optionally only those after `sinceSeq`, and only those `tenantId`
 * answered when given (an emulator of one tenant names none: its entries are the home tenant's).
 */
export function requests(emulator: Emulator, method: string, pathTest: string | RegExp, sinceSeq = 0, tenantId?: string): RequestLogEntry[] {
  return emulator.log.filter(
    (e) =>
      e.seq > sinceSeq &&
      e.method === method &&
      e.headers[FIXTURE_HEADER] === undefined &&
      (tenantId === undefined || (e.tenantId ?? emulator.tenantId) === tenantId) &&
      (typeof pathTest === 'string' ? e.path === pathTest : pathTest.test(e.path)),
  );
}

/** One page of a Graph list as the emulator answers it. */
export interface GraphPage<T> {
  value: T[];
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
}

/**
 * Reads Graph the way a second client would (an app token, advanced-query headers, over the emulator's HTTPS): what
 * Graph lists, in Graph's order, for a view to be compared with. `pathAndQuery` is relative to the origin (as
 * `RequestLogEntry.rawUrl` is) or a full next link. Marked as a fixture, so `requests()` leaves it out. The home
 * tenant is read unless `token` is another tenant's.
 */
export function graphGet<T>(emulator: Emulator, pathAndQuery: string, token = emulator.issueToken({ kind: 'app' })): Promise<GraphPage<T>> {
  const url = new URL(pathAndQuery, emulator.url);
  return new Promise((resolve, reject) => {
    const request = httpsGet(
      url,
      { ca: emulator.caCert, headers: { authorization: `Bearer ${token}`, accept: 'application/json', consistencylevel: 'eventual', [FIXTURE_HEADER]: '1' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode !== 200) reject(new Error(`fixture GET ${url.pathname}${url.search} → ${response.statusCode ?? 0}: ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text) as GraphPage<T>);
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

/** The rows a partly loaded list ends with: "Load more (100 of 230)", and "Load all 230" for lists of at most 1,000. */
export function moreRows(loaded: number, total: number): string[] {
  return [`Load more (${loaded} of ${total})`, ...(total <= 1000 ? [`Load all ${total}`] : [])];
}

/** The sequence number of the newest log entry (0 when the log is empty), to look only at what follows. */
export function lastSeq(emulator: Emulator): number {
  return emulator.log.at(-1)?.seq ?? 0;
}

/**
 * Waits until the extension's directory cache is complete: its last step, cold or warm, is reading the groups' delta
 * from a saved link (a `$deltatoken` other than `latest`). From then on the pickers and the views' search answer locally.
 */
export function directoryCacheReady(emulator: Emulator, sinceSeq = 0, timeoutMs = 60_000): Promise<RequestLogEntry> {
  return until(
    'the directory cache to be built',
    () => requests(emulator, 'GET', '/v1.0/groups/delta', sinceSeq).find((e) => e.status === 200 && e.query.$deltatoken !== undefined && e.query.$deltatoken !== 'latest'),
    timeoutMs,
  );
}

/** The `$search` requests Graph received for `path` since `sinceSeq`. */
export function searchRequests(emulator: Emulator, path: string, sinceSeq: number): RequestLogEntry[] {
  return requests(emulator, 'GET', path, sinceSeq).filter((e) => e.query.$search !== undefined);
}

/** Waits for a request to be answered (status set; by `tenantId` when given) and returns it. */
export function answered(emulator: Emulator, what: string, method: string, pathTest: string | RegExp, sinceSeq = 0, timeoutMs = 30_000, tenantId?: string): Promise<RequestLogEntry> {
  return until(what, () => requests(emulator, method, pathTest, sinceSeq, tenantId).find((e) => e.status !== 0), timeoutMs);
}

/**
 * Waits until the emulator has had no request for `quietMs`. After its first list the extension builds its directory
 * cache in the background; a check that marks the log before an action ("nothing after the sign-out") waits for that
 * first, so what the build read is not counted as the action's doing.
 */
export async function settled(emulator: Emulator, quietMs = 1_500, timeoutMs = 60_000): Promise<void> {
  let seen = lastSeq(emulator);
  await until(`Graph to be quiet for ${quietMs} ms`, async () => {
    const now = lastSeq(emulator);
    const quiet = now === seen;
    seen = now;
    if (!quiet) return false;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    return lastSeq(emulator) === now;
  }, timeoutMs);
}

/** The Entra ID side bar of one workbench page. */
export class DirectoryUi {
  constructor(
    readonly workbench: Workbench,
    readonly extensionId: string,
  ) {}

  /** Shows the Entra ID container in `workbench` (by default a new page of the run's code-server). */
  static async open(workbench?: Workbench): Promise<DirectoryUi> {
    const ui = new DirectoryUi(workbench ?? (await e2e().openWorkbench()), extensionId(e2e().manifest));
    await ui.workbench.openViewContainer(CONTAINER.title, CONTAINER.id, 60_000);
    // The workspace's layout and editors outlive a window: what an earlier file left open is closed first.
    await ui.workbench.hidePanel();
    if ((await ui.workbench.editorTabs()).length > 0) await ui.closeEditors();
    return ui;
  }

  /** A new window whose Groups view lists only the groups named with `tag` (a file's own), waiting for `group`'s row. */
  static async openOnGroups(tag: string, group?: GroupRecord): Promise<DirectoryUi> {
    const ui = await DirectoryUi.open();
    await ui.search('Groups', tag);
    if (group) await ui.waitForRow('Groups', groupRowName(group));
    return ui;
  }

  /** A file's after(): the Groups search cleared and the editors closed for the next window, then this one closed. */
  async closeAfterGroups(): Promise<void> {
    await this.viewAction('Groups', 'Clear Group Search').catch(() => undefined);
    await this.closeEditors().catch(() => undefined);
    await this.close();
  }

  get page(): Page {
    return this.workbench.page;
  }

  container(): Locator {
    return this.workbench.viewContainer(CONTAINER.id);
  }

  pane(view: ViewName): Locator {
    const container = view === 'History' ? this.workbench.viewContainer(HISTORY_CONTAINER.id) : this.container();
    return container.locator('.pane', { has: this.page.locator('.pane-header h3.title', { hasText: new RegExp(`^${view}$`, 'i') }) });
  }

  /** A row by its accessible name, e.g. "Ines Müller" or "All Staff, Microsoft 365". */
  row(view: ViewName, name: string | RegExp): Locator {
    return this.workbench.treeRow(name, this.pane(view));
  }

  /** The row at a position of the flattened tree. */
  rowAt(view: ViewName, index: number): Locator {
    return this.pane(view).locator(`.monaco-list-row[role="treeitem"][data-index="${index}"]`);
  }

  /** The accessible name of the row at a position, or undefined while that row is not rendered. */
  async nameAt(view: ViewName, index: number): Promise<string | undefined> {
    const row = this.rowAt(view, index);
    if ((await row.count()) === 0) return undefined;
    return row.evaluate((e) => (e.getAttribute('aria-label') || e.querySelector('.label-name')?.textContent || '').trim(), undefined, { timeout: 5_000 });
  }

  /** The rows currently rendered (the tree renders only what is scrolled into view). */
  async renderedRows(view: ViewName): Promise<TreeRow[]> {
    const rows = await this.pane(view)
      .locator('.monaco-list-row[role="treeitem"]')
      .evaluateAll((elements) =>
        elements.map((e) => ({
          index: Number(e.getAttribute('data-index')),
          // Rows without accessibility information (messages such as "No members") are named "label description".
          name: (e.getAttribute('aria-label') || e.querySelector('.label-name')?.textContent || '').trim(),
          level: Number(e.getAttribute('aria-level')),
          setSize: Number(e.getAttribute('aria-setsize')),
          expanded: e.hasAttribute('aria-expanded') ? e.getAttribute('aria-expanded') === 'true' : undefined,
        })),
      );
    return rows.sort((a, b) => a.index - b.index);
  }

  /** Moves keyboard focus into a view's tree (the view's own "Focus on … View" command). */
  async focusView(view: ViewName): Promise<void> {
    // An empty tree (still loading) takes no focus.
    await this.pane(view).locator('.monaco-list-row[role="treeitem"]').first().waitFor({ state: 'visible', timeout: 60_000 });
    await this.workbench.runCommand(`Entra ID: Focus on ${view} View`);
    await until(`keyboard focus in the ${view} tree`, () =>
      this.pane(view)
        .locator('.monaco-list')
        .evaluate((list) => list.contains(document.activeElement)),
    );
  }

  /** Waits until the view lists a row named `name` (scrolling to it) and returns it. */
  waitForRow(view: ViewName, name: string, timeoutMs = 60_000): Promise<Locator> {
    return until(`a row named "${name}" in the ${view} view`, () => this.revealRow(view, name), timeoutMs);
  }

  /** Every row of a view, top to bottom: pages through the tree with the keyboard, collecting what is rendered. */
  async allRows(view: ViewName): Promise<TreeRow[]> {
    const seen = new Map<number, TreeRow>();
    await this.pageThrough(view, async () => {
      for (const row of await this.renderedRows(view)) seen.set(row.index, row);
      return false;
    });
    return [...seen.values()].sort((a, b) => a.index - b.index);
  }

  /** Waits until the view's rows, top to bottom, are named `expected`; fails with the difference otherwise. */
  async expectRows(view: ViewName, expected: readonly string[], timeoutMs = 30_000): Promise<TreeRow[]> {
    let last: TreeRow[] = [];
    const same = (): boolean => last.length === expected.length && last.every((r, i) => r.name === expected[i]);
    try {
      return await until(
        `the ${view} view to list ${expected.length} rows`,
        async () => {
          last = await this.allRows(view);
          return same() && last;
        },
        timeoutMs,
      );
    } catch (error) {
      assert.deepEqual(
        last.map((r) => r.name),
        expected,
      );
      throw error;
    }
  }

  /** Scrolls until the row named `name` is rendered and returns it. */
  async revealRow(view: ViewName, name: string): Promise<Locator> {
    const row = this.row(view, name);
    if (await row.isVisible()) return row;
    if (await this.pageThrough(view, () => row.isVisible())) return row;
    throw new Error(`No row named "${name}" in the ${view} view`);
  }

  /**
   * Moves the keyboard focus from the first row to the last a page at a time, calling `visit` after each move;
   * stops early when `visit` returns true (and returns true).
   */
  private async pageThrough(view: ViewName, visit: () => Promise<boolean>): Promise<boolean> {
    await this.focusView(view);
    const total = await this.rowCount(view);
    await this.page.keyboard.press('Home');
    await until(`the first row of ${view} to have focus`, async () => (await this.focusedIndex(view)) === 0);
    for (;;) {
      if (await visit()) return true;
      const at = await this.focusedIndex(view);
      if (at >= total - 1) return false;
      await this.page.keyboard.press('PageDown');
      await until(`the focus in ${view} to move down from row ${at} of ${total}`, async () => (await this.focusedIndex(view)) > at);
    }
  }

  /**
   * Moves the keyboard focus to the row at `index` (or the last row, when there are fewer), which scrolls it
   * and its neighbours into view.
   */
  async focusRowAt(view: ViewName, index: number): Promise<void> {
    const hasFocus = (): Promise<boolean> =>
      this.pane(view)
        .locator('.monaco-list')
        .evaluate((list) => list.contains(document.activeElement));
    if (!(await hasFocus())) await this.focusView(view);
    await until(`the focus to reach row ${index} of ${view}`, async () => {
      const at = await this.focusedIndex(view);
      const target = Math.min(index, (await this.rowCount(view)) - 1);
      if (at === target) return true;
      await this.page.keyboard.press(at < target ? 'ArrowDown' : 'ArrowUp');
      return false;
    });
  }

  /** `data-index` of the row with keyboard focus, -1 when none. */
  async focusedIndex(view: ViewName): Promise<number> {
    const focused = this.pane(view).locator('.monaco-list-row.focused');
    if ((await focused.count()) === 0) return -1;
    return Number(await focused.first().getAttribute('data-index'));
  }

  /** Direct children of the row at `parentIndex`, read from `rows` (the flattened tree). */
  static childrenOf(rows: readonly TreeRow[], parentIndex: number): TreeRow[] {
    const parent = rows.find((r) => r.index === parentIndex);
    if (!parent) return [];
    const children: TreeRow[] = [];
    for (const row of rows.filter((r) => r.index > parentIndex)) {
      if (row.level <= parent.level) break;
      if (row.level === parent.level + 1) children.push(row);
    }
    return children;
  }

  /** How many rows the tree has in all (rendered or not), from the height of its scrollable content. */
  async rowCount(view: ViewName): Promise<number> {
    return this.pane(view)
      .locator('.monaco-list')
      .first()
      .evaluate((list) => {
        const rows = list.querySelector<HTMLElement>('.monaco-list-rows');
        const row = list.querySelector<HTMLElement>('.monaco-list-row');
        if (!rows || !row) return 0;
        return Math.round(parseFloat(rows.style.height) / row.getBoundingClientRect().height);
      });
  }

  /** Clicks an action in a view's title bar, by its title (e.g. "Show Disabled Users"). */
  async viewAction(view: ViewName, title: string): Promise<void> {
    const header = this.pane(view).locator('.pane-header');
    await header.hover();
    await header.locator(`.actions .action-label[aria-label="${title.replace(/["\\]/g, '\\$&')}"]`).click({ timeout: 15_000 });
  }

  /** Whether a view's title bar offers an action. */
  viewActionLocator(view: ViewName, title: string): Locator {
    return this.pane(view).locator(`.pane-header .actions .action-label[aria-label="${title.replace(/["\\]/g, '\\$&')}"]`);
  }

  /** The titles a row's context menu offers (the menu is closed again with Escape). */
  async contextMenuEntries(row: Locator): Promise<string[]> {
    await row.click({ button: 'right' });
    const items = this.page.locator('.monaco-menu [role="menuitem"]');
    await items.first().waitFor({ state: 'visible', timeout: 15_000 });
    const titles = await items.evaluateAll((elements) => elements.map((e) => (e.querySelector('.action-label')?.textContent ?? '').trim()));
    await this.page.keyboard.press('Escape');
    await items.first().waitFor({ state: 'hidden', timeout: 15_000 });
    return titles.filter((t) => t !== '');
  }

  /** Runs a view's "Search …" title action with `text` (the view then lists what the cache or Graph's $search finds). */
  async search(view: ViewName, text: string): Promise<void> {
    await this.viewAction(view, view === 'Users' ? 'Search Users' : 'Search Groups');
    const input = this.workbench.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
    await input.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Right-clicks a row and chooses a context-menu entry by its title. */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    // An entry's accessible name ends with its key binding, if it has one ("Remove Member from Group… Del").
    const entry = this.page.getByRole('menuitem', { name: new RegExp(`^${escapeRegExp(item)}(\\s|$)`) });
    await entry.waitFor({ state: 'visible', timeout: 15_000 });
    // A click right after the menu opens is sometimes dropped; the item under the pointer takes Enter reliably.
    await entry.hover();
    await until(`the "${item}" menu entry to be focused`, () => entry.evaluate((e) => e.closest('.action-item')?.classList.contains('focused') ?? false), 10_000);
    await this.page.keyboard.press('Enter');
    await entry.waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** The extension's status-bar entry. */
  statusBar(): Locator {
    return this.page.locator(`[id="${this.extensionId}.entraId.account"]`);
  }

  /** The "Sign in to Microsoft Entra ID…" content a view shows instead of rows when nobody is signed in. */
  welcome(view: ViewName): Locator {
    return this.pane(view).locator('.welcome-view-content');
  }

  /** The extension's webview (profile or form) shown in the editor area. */
  webview(): FrameLocator {
    return this.workbench.webview(this.extensionId);
  }

  /** Texts of the toasts shown now. */
  notifications(): Promise<string[]> {
    return this.workbench.notifications();
  }

  async closeEditors(): Promise<void> {
    await this.workbench.runCommand('View: Close All Editors');
    await until('the editors to close', async () => (await this.workbench.editorTabs()).length === 0, 15_000);
  }

  close(): Promise<void> {
    return this.workbench.close();
  }
}

/**
 * A code-server of its own (own profile, own settings) and a Chromium that accepts the emulator's self-signed
 * certificate, for scenarios that need other sign-in settings than the shared server's.
 */
export class OwnCodeServer {
  private server: RunningCodeServer | undefined;
  private readonly removeCleanup: () => void;

  private constructor(
    readonly profile: CodeServerProfile,
    readonly browser: E2EBrowser,
    private readonly env: Record<string, string>,
  ) {
    this.removeCleanup = onShutdown('stop the sign-in code-server', () => this.dispose());
  }

  /** `env`: more (or other) environment for the extension host, e.g. the client secret of another app registration. */
  static async create(emulator: Emulator, env: Record<string, string> = {}): Promise<OwnCodeServer> {
    const profile = createProfile('entra-e2e-signin-');
    try {
      const install = await ensureCodeServer();
      await installVsix(install, path.join(repoRoot, VSIX_RELATIVE_PATH), profile);
      const hostEnv = { ...extensionEnv(emulator, writeCaBundle(emulator, profile.root)), ...env };
      const browser = await launchBrowser(path.join(profile.root, 'chromium'), { env: isolatedHome(profile), ignoreHTTPSErrors: true });
      return new OwnCodeServer(profile, browser, hostEnv);
    } catch (error) {
      removeProfile(profile);
      throw error;
    }
  }

  /** (Re)starts the server with the run's settings plus `overrides`, and opens a workbench page. */
  async start(emulator: Emulator, overrides: Record<string, unknown> = {}): Promise<Workbench> {
    await this.server?.stop();
    this.server = undefined;
    const install = await ensureCodeServer();
    this.server = await startCodeServer({ install, profile: this.profile, env: this.env, settings: { ...extensionSettings(emulator), ...overrides } });
    return Workbench.open(this.browser, this.server.workbenchUrl());
  }

  async dispose(): Promise<void> {
    this.removeCleanup();
    await this.browser.close().catch(() => undefined);
    await this.server?.stop();
    this.server = undefined;
    removeProfile(this.profile);
  }
}

/**
 * code-server sends a localhost page opened by an extension through its own port proxy (/proxy/PORT/, plain HTTP);
 * the sign-in pages are served over HTTPS, so the browser is pointed at their real address, as a desktop browser opens them.
 */
export async function routeSignInPages(workbench: Workbench, emulator: Emulator): Promise<void> {
  const port = new URL(emulator.url).port;
  await workbench.page.context().route(new RegExp(`/proxy/${port}/`), async (route) => {
    const url = new URL(route.request().url());
    await route.fulfill({ status: 302, headers: { location: `${emulator.url}${url.pathname.replace(`/proxy/${port}`, '')}${url.search}` } });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
