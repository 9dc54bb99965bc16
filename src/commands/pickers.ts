import * as vscode from 'vscode';
import { FRESH_FOR_MS } from '../cache/localDirectory';
import { localGroupsPage, localUsersPage } from '../cache/localPages';
import type { DirectoryObject, Group, Page, PageCursor, Result, User } from '../core';
import type { Services } from '../services';
import { classifyGroup, type GroupClass } from '../shared/groupKinds';
import { forQuickPick } from '../shared/text';
import { groupKindLabel } from '../ui/labels';

interface ObjectPick<T> extends vscode.QuickPickItem {
  object?: T;
  loadMore?: true;
}

const SEARCH_DELAY_MS = 250;
const PICK_PAGE = 25;

/** A disabled account is marked in every list, pickers too: "$(circle-slash) Name", "Disabled · upn". */
function accountLabel(o: { displayName?: string | null; accountEnabled?: boolean | null }, fallback: string): string {
  const name = forQuickPick(o.displayName, fallback);
  return o.accountEnabled === false ? `$(circle-slash) ${name}` : name;
}

function accountDescription(o: { accountEnabled?: boolean | null }, text: string): string {
  return o.accountEnabled === false ? (text ? vscode.l10n.t('Disabled · {0}', text) : vscode.l10n.t('Disabled')) : text;
}

function userItem(u: User): ObjectPick<User> {
  const detail = forQuickPick([u.jobTitle, u.department].filter(Boolean).join(' · '));
  return { label: accountLabel(u, u.userPrincipalName ?? u.id), description: accountDescription(u, forQuickPick(u.userPrincipalName)), ...(detail ? { detail } : {}), object: u };
}

function groupItem(g: Group): ObjectPick<Group> {
  const detail = forQuickPick(g.description);
  return { label: forQuickPick(g.displayName, g.id), description: groupKindLabel(classifyGroup(g)), ...(detail ? { detail } : {}), object: g };
}

function memberItem(o: DirectoryObject): ObjectPick<DirectoryObject> {
  const upn = typeof o.userPrincipalName === 'string' ? o.userPrincipalName : '';
  const enabled = typeof o.accountEnabled === 'boolean' ? { accountEnabled: o.accountEnabled } : {};
  return { label: accountLabel({ displayName: o.displayName, ...enabled }, o.id), description: accountDescription(enabled, forQuickPick(upn || (o['@odata.type'] ?? '').replace('#microsoft.graph.', ''))), object: o };
}

/**
 * A quick pick that searches Graph as the user types (server-side `$search`), with the first page shown
 * before any typing and a "Load more…" row when Graph has more.
 */
async function searchPick<T>(options: {
  title: string;
  placeholder: string;
  initial: (signal: AbortSignal) => Promise<Result<Page<T>>>;
  search: (term: string, signal: AbortSignal) => Promise<Result<Page<T>>>;
  next: (cursor: PageCursor<T>, signal: AbortSignal) => Promise<Result<Page<T>>>;
  toItem: (o: T) => ObjectPick<T>;
  /** A fixed first row (e.g. "Me"), shown while nothing is typed. */
  pinned?: ObjectPick<T>;
}): Promise<T | undefined> {
  const pick = vscode.window.createQuickPick<ObjectPick<T>>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.ignoreFocusOut = true;
  let controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let cursor: PageCursor<T> | undefined;
  let objects: T[] = [];

  const show = (items: T[], more: PageCursor<T> | undefined): void => {
    objects = items;
    cursor = more;
    const rows = items.map(options.toItem);
    if (options.pinned && !pick.value.trim()) rows.unshift(options.pinned);
    if (more) rows.push({ label: vscode.l10n.t('Load more…'), loadMore: true, alwaysShow: true });
    pick.items = rows;
  };
  const run = async (load: (signal: AbortSignal) => Promise<Result<Page<T>>>, append: boolean): Promise<void> => {
    controller.abort();
    controller = new AbortController();
    const signal = controller.signal;
    pick.busy = true;
    const result = await load(signal);
    if (signal.aborted) return;
    pick.busy = false;
    if (!result.success) {
      pick.items = [{ label: vscode.l10n.t('$(error) {0}', forQuickPick(result.error.message)), description: forQuickPick(result.error.code), alwaysShow: true }];
      return;
    }
    show(append ? [...objects, ...result.data.items] : result.data.items, result.data.next);
  };

  return new Promise<T | undefined>((resolve) => {
    pick.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const term = value.trim();
        void run(term ? (s) => options.search(term, s) : options.initial, false);
      }, SEARCH_DELAY_MS);
    });
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0];
      if (chosen?.loadMore && cursor) {
        const at = cursor;
        void run((s) => options.next(at, s), true);
        return;
      }
      if (chosen?.object) {
        resolve(chosen.object);
        pick.hide();
      }
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      controller.abort();
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
    void run(options.initial, false);
  });
}

/** The signed-in user, chosen from the pinned row. */
export const ME: User = { id: 'me' };

export function pickUser(services: Services, title: string, options: { includeMe?: boolean } = {}): Promise<User | undefined> {
  const account = services.auth.account;
  const pinned = options.includeMe && account && !account.appOnly ? { label: vscode.l10n.t('$(account) Me'), description: forQuickPick(account.label), object: ME, alwaysShow: true } : undefined;
  services.localDirectory?.refresh(FRESH_FOR_MS.opening);
  return searchPick<User>({
    ...(pinned ? { pinned } : {}),
    title,
    placeholder: vscode.l10n.t('Type a name, user principal name or mail to search'),
    initial: (signal) => services.graph().usersPage({ pageSize: PICK_PAGE, signal }),
    // The cached directory answers each keystroke when there is one; Graph's $search otherwise.
    search: async (term, signal) => (await localUsersPage(services.localDirectory, term, PICK_PAGE, false, FRESH_FOR_MS.keystroke)) ?? services.graph().usersPage({ search: term, pageSize: PICK_PAGE, signal }),
    next: (c, signal) => services.graph().nextPage(c, { signal }),
    toItem: userItem,
  });
}

/** Groups to choose from; `filter` (on the group's class) hides the groups an action cannot work on. */
export function pickGroup(services: Services, title: string, filter?: (c: GroupClass) => boolean): Promise<Group | undefined> {
  const keep = (r: Result<Page<Group>>): Result<Page<Group>> => (r.success && filter ? { success: true, data: { ...r.data, items: r.data.items.filter((g) => filter(classifyGroup(g))) } } : r);
  services.localDirectory?.refresh(FRESH_FOR_MS.opening);
  return searchPick<Group>({
    title,
    placeholder: vscode.l10n.t('Type a group name or a word of its description to search'),
    initial: async (signal) => keep(await services.graph().groupsPage({ pageSize: PICK_PAGE, signal })),
    search: async (term, signal) => keep((await localGroupsPage(services.localDirectory, term, PICK_PAGE, FRESH_FOR_MS.keystroke)) ?? (await services.graph().groupsPage({ search: term, pageSize: PICK_PAGE, signal }))),
    next: async (c, signal) => keep(await services.graph().nextPage(c, { signal })),
    toItem: groupItem,
  });
}

/** Members of one group; typing filters what is loaded, "Load more…" reads the next page. */
export function pickMember(services: Services, groupId: string, title: string): Promise<DirectoryObject | undefined> {
  return searchPick<DirectoryObject>({
    title,
    placeholder: vscode.l10n.t('Choose the member to remove'),
    initial: (signal) => services.graph().groupMembersPage(groupId, { pageSize: 999, signal }),
    search: async (term, signal) => {
      const all = await services.graph().groupMembersPage(groupId, { pageSize: 999, signal });
      if (!all.success) return all;
      const needle = term.toLowerCase();
      return { success: true, data: { ...all.data, items: all.data.items.filter((m) => `${m.displayName ?? ''} ${typeof m.userPrincipalName === 'string' ? m.userPrincipalName : ''}`.toLowerCase().includes(needle)) } };
    },
    next: (c, signal) => services.graph().nextPage(c, { signal }),
    toItem: memberItem,
  });
}

export async function pickFromList<T>(items: T[], toItem: (o: T) => vscode.QuickPickItem, title: string): Promise<T | undefined> {
  const rows = items.map((o) => ({ ...toItem(o), object: o }));
  const chosen = await vscode.window.showQuickPick(rows, { title, matchOnDescription: true, matchOnDetail: true });
  return chosen?.object;
}

export { groupItem, userItem };
