import {
  GROUP_LISTS, isDirectoryRef, MAX_LIST_CHANGE, type DirectoryRef, type GroupListName, type GroupListState, type GroupPageAction, type GroupPageState, type ListRow, type UiStrings,
} from '../webviews/protocol';
import { format, h } from './dom';
import { PeoplePicker } from './peoplePicker';
import { describeError, isSaveAnswer, mountPlaceholder, restoreFocus, type MountContext, type MountedView, type Reply } from './view';

const SEARCH_DEBOUNCE_MS = 400;

/** What the page keeps across rebuilds (and across being hidden): each list's selection and chosen additions. */
interface PageMemory {
  selected: Record<GroupListName, string[]>;
  adding: Record<GroupListName, DirectoryRef[]>;
  /** The list a removal or addition still waits on. */
  pendingList?: GroupListName;
}

function recall(raw: unknown): PageMemory {
  const memory: PageMemory = { selected: { members: [], owners: [] }, adding: { members: [], owners: [] } };
  if (typeof raw !== 'object' || raw === null) return memory;
  const r = raw as Partial<Record<keyof PageMemory, unknown>>;
  for (const list of GROUP_LISTS) {
    const sel = (r.selected as Record<string, unknown> | undefined)?.[list];
    if (Array.isArray(sel)) memory.selected[list] = sel.filter((x): x is string => typeof x === 'string').slice(0, MAX_LIST_CHANGE);
    const add = (r.adding as Record<string, unknown> | undefined)?.[list];
    if (Array.isArray(add)) memory.adding[list] = add.filter(isDirectoryRef).slice(0, MAX_LIST_CHANGE);
  }
  if (r.pendingList === 'members' || r.pendingList === 'owners') memory.pendingList = r.pendingList;
  return memory;
}

/** A group's page: overview, member of, and the Members and Owners lists with their actions. */
export function mountGroupPage(state: GroupPageState, ctx: MountContext): MountedView {
  const s = state.strings;
  const act = (action: GroupPageAction) => () => ctx.channel.send({ type: 'groupAction', action });
  const group = state.group;
  if (!group) return mountPlaceholder(ctx, s, state.loading ? undefined : state.error, act('refresh'));

  const memory = recall(ctx.channel.savedState());
  const save = (): void => ctx.channel.saveState(memory);
  let pending = ctx.pending;
  const pickers = new Map<GroupListName, PeoplePicker>();

  const button = (id: string, label: string, onClick: () => void, primary = false, disabled = false): HTMLButtonElement => {
    const b = h('button', { id, type: 'button', class: primary ? 'primary' : 'secondary' }, label);
    b.disabled = disabled;
    b.addEventListener('click', onClick);
    return b;
  };

  const membership = group.dynamic ? s.dynamicMembership : s.assignedMembership;
  const count = (list: GroupListState): string => (list.count !== undefined ? String(list.count) : '');
  const details = h('dl', { class: 'details' });
  const field = (label: string, value: string, id?: string): void => {
    details.append(h('dt', {}, label), value === '' ? h('dd', { class: 'subtle' }, s.notSet) : h('dd', id ? { id } : {}, value));
  };
  field(s.groupKind, group.kind);
  field(s.membershipType, membership);
  field(s.members, count(state.members), 'members-count');
  field(s.owners, count(state.owners), 'owners-count');
  field(s.mail, group.mail);
  field(s.createdDateTime, group.created);
  field(s.description, group.description);
  if (group.dynamic || group.membershipRule !== '') field(s.membershipRule, group.membershipRule);
  field(s.id, group.id);

  const header = h('header', {},
    h('h1', {}, group.displayName),
    h('p', { class: 'subtle' }, `${group.kind} · ${membership}`),
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': group.displayName },
      // Read-only mode: no button that changes the directory (the lists say why).
      !state.readOnlyMode && button('edit-group', s.editGroup, act('editGroup'), true, !group.editable),
      button('copy-id', s.copyId, act('copyId')),
      // Writes a file, not the directory: offered in read-only mode too, for groups whose members can be managed.
      button('export-desired-state', s.exportDesiredState, act('exportDesiredState'), false, !group.exportable),
      button('show-nesting', s.nesting, act('nesting')),
      button('refresh', s.refresh, act('refresh'))),
    state.loading && h('p', { class: 'subtle', role: 'status' }, s.loading));

  const listSection = (name: GroupListName, list: GroupListState): HTMLElement => {
    const title = name === 'members' ? s.members : s.owners;
    const editable = list.readOnly === undefined;
    const present = new Set(list.rows.map((r) => r.id));
    memory.selected[name] = memory.selected[name].filter((id) => present.has(id));
    const selected = new Set(memory.selected[name]);

    const search = h('input', { id: `${name}-search`, type: 'search', class: 'list-search', placeholder: s.filterList, 'aria-label': `${title}: ${s.filterList}`, spellcheck: 'false', autocomplete: 'off' });
    search.value = list.search;
    let timer: number | undefined;
    const runSearch = (): void => {
      window.clearTimeout(timer);
      ctx.channel.send({ type: 'listSearch', list: name, term: search.value.trim() });
    };
    search.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(runSearch, SEARCH_DEBOUNCE_MS);
    });
    search.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') runSearch();
    });

    const busy = (): boolean => list.busy || pending !== undefined;
    const remove = button(`${name}-remove`, selected.size ? `${s.removeSelected} (${selected.size})` : s.removeSelected, () => {
      const ids = [...selected];
      if (ids.length === 0 || pending !== undefined) return;
      pending = ctx.channel.nextRequestId();
      memory.pendingList = name;
      save();
      remove.disabled = true;
      ctx.channel.send({ type: 'listRemove', requestId: pending, list: name, ids });
    }, false, busy() || selected.size === 0);
    const refreshRemove = (): void => {
      memory.selected[name] = [...selected];
      save();
      remove.textContent = selected.size ? `${s.removeSelected} (${selected.size})` : s.removeSelected;
      remove.disabled = busy() || selected.size === 0;
    };

    const rowItem = (row: ListRow): HTMLElement => {
      const ref = h('span', { class: 'ref' },
        h('span', { class: 'name' }, row.displayName),
        row.kind !== 'user' && h('span', { class: 'badge' }, kindBadge(s, row.kind)),
        row.disabled && h('span', { class: 'badge disabled' }, s.disabled),
        row.detail !== '' && h('span', { class: 'detail' }, row.detail));
      if (!editable) return h('li', { 'data-id': row.id }, ref);
      const box = h('input', { type: 'checkbox', id: `${name}-sel-${row.id}`, 'aria-label': format(s.selectRow, row.displayName) });
      box.checked = selected.has(row.id);
      box.disabled = busy();
      box.addEventListener('change', () => {
        if (box.checked && selected.size < MAX_LIST_CHANGE) selected.add(row.id);
        else {
          box.checked = false;
          selected.delete(row.id);
        }
        refreshRemove();
      });
      return h('li', { 'data-id': row.id }, h('label', { class: 'row-select', for: box.id }, box, ref));
    };

    const body: Array<Node | false | undefined> = [];
    if (list.readOnly) body.push(h('p', { class: 'subtle read-only' }, list.readOnly));
    body.push(h('div', { class: 'list-tools' }, search));
    if (list.error) body.push(h('p', { class: 'error-text', role: 'alert' }, describeError(list.error)));
    if (list.outcomes) {
      body.push(h('ul', { class: 'outcomes', id: `${name}-outcomes`, role: 'status' }, ...list.outcomes.map((o) =>
        h('li', { class: o.done ? 'outcome done' : 'outcome failed', 'data-id': o.id },
          h('span', { class: 'name' }, o.displayName), ' — ', o.done ? o.message : `${s.outcomeFailed}: ${o.message}`))));
    }
    if (list.busy) body.push(h('p', { class: 'subtle', role: 'status' }, s.working));
    if (list.rows.length === 0) {
      body.push(h('p', { class: 'subtle' }, list.loading ? s.loading : list.search !== '' ? format(s.noMatches, list.search) : name === 'members' ? s.noMembers : s.noOwners));
    } else {
      const rowsList = h('ul', { class: 'list rows', id: `${name}-rows`, 'aria-label': title }, ...list.rows.map(rowItem));
      if (editable) {
        const all = h('input', { type: 'checkbox', id: `${name}-select-all` });
        all.checked = list.rows.length > 0 && list.rows.every((r) => selected.has(r.id));
        all.disabled = busy();
        all.addEventListener('change', () => {
          selected.clear();
          if (all.checked) for (const r of list.rows.slice(0, MAX_LIST_CHANGE)) selected.add(r.id);
          for (const box of rowsList.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) box.checked = selected.has(box.id.slice(`${name}-sel-`.length));
          refreshRemove();
        });
        body.push(h('label', { class: 'row-select select-all', for: all.id }, all, s.selectAll));
      }
      body.push(rowsList);
    }
    if (list.more) {
      // Graph counts every list the page reads; "…" only if an answer came without its count.
      const label = format(s.loadMoreOf, String(list.rows.length), list.total !== undefined ? String(list.total) : '…');
      body.push(button(`${name}-more`, label, () => ctx.channel.send({ type: 'listMore', list: name }), false, list.loading));
    }
    if (editable) {
      body.push(h('div', { class: 'actions' }, remove));
      const picker = new PeoplePicker({
        name: `${name}-add`,
        label: name === 'members' ? s.addMembers : s.addOwners,
        max: MAX_LIST_CHANGE,
        strings: s,
        picked: memory.adding[name],
        search: (term) => {
          const requestId = ctx.channel.nextRequestId();
          ctx.channel.send({ type: 'searchCandidates', requestId, list: name, term });
          return requestId;
        },
        onChange: () => {
          memory.adding[name] = picker.people();
          save();
          add.disabled = busy() || picker.ids().length === 0;
        },
      });
      pickers.set(name, picker);
      const add = button(`${name}-add-button`, s.addSelected, () => {
        const ids = picker.ids();
        if (ids.length === 0 || pending !== undefined) return;
        pending = ctx.channel.nextRequestId();
        memory.pendingList = name;
        save();
        add.disabled = true;
        ctx.channel.send({ type: 'listAdd', requestId: pending, list: name, ids });
      }, true, busy() || memory.adding[name].length === 0);
      body.push(h('div', { class: 'add-area' }, picker.row, h('div', { class: 'actions' }, add)));
    }
    const heading = list.count !== undefined ? `${title} (${list.count})` : title;
    return h('section', { 'aria-labelledby': `${name}-heading`, id: `${name}-section` }, h('h2', { id: `${name}-heading` }, heading), ...body);
  };

  ctx.root.append(
    header,
    h('section', { 'aria-labelledby': 'details-heading' }, h('h2', { id: 'details-heading' }, s.details), details),
    memberOfSection(state, s),
    listSection('members', state.members),
    listSection('owners', state.owners),
  );
  restoreFocus(ctx, () => undefined);

  return {
    receive(reply: Reply): void {
      if (reply.type === 'searchResult') {
        for (const picker of pickers.values()) if (picker.receive(reply)) return;
        return;
      }
      if (!isSaveAnswer(reply) || reply.requestId !== pending) return;
      pending = undefined;
      const list = memory.pendingList;
      memory.pendingList = undefined;
      // Confirmed and done (the outcomes follow in the state): the selection or the chosen additions are spent.
      if (list && reply.type === 'result' && reply.ok && reply.message !== '') {
        memory.selected[list] = [];
        memory.adding[list] = [];
      }
      save();
      // Until the new state arrives (or none comes, after a dismissed confirmation), the controls work again.
      for (const b of ctx.root.querySelectorAll<HTMLButtonElement>('button[id$="-remove"], button[id$="-add-button"]')) {
        const name = b.id.startsWith('members') ? 'members' : 'owners';
        b.disabled = state[name].busy || (b.id.endsWith('-remove') ? memory.selected[name].length === 0 : memory.adding[name].length === 0);
      }
      for (const name of GROUP_LISTS) {
        if (state[name].busy) continue;
        for (const box of ctx.root.querySelectorAll<HTMLInputElement>(`#${name}-section input[type="checkbox"]`)) box.disabled = false;
      }
    },
    pendingRequest: () => pending,
    dispose: () => pickers.forEach((p) => p.dispose()),
  };
}

function memberOfSection(state: GroupPageState, s: UiStrings): HTMLElement {
  let body: Node;
  if (state.memberOfError) body = h('p', { class: 'error-text' }, describeError(state.memberOfError));
  else if (!state.memberOf) body = h('p', { class: 'subtle' }, s.loading);
  else if (state.memberOf.length === 0) body = h('p', { class: 'subtle' }, s.notMemberOfAny);
  else {
    const list = h('ul', { class: 'list', id: 'member-of' }, ...state.memberOf.map((g) => h('li', {}, h('span', { class: 'ref' }, h('span', { class: 'name' }, g.displayName), g.detail !== '' && h('span', { class: 'detail' }, g.detail)))));
    const more = state.memberOfTotal !== undefined && state.memberOfTotal > state.memberOf.length;
    body = more ? h('div', {}, list, h('p', { class: 'subtle' }, s.moreMemberOf)) : list;
  }
  const title = state.memberOfTotal !== undefined ? `${s.memberOf} (${state.memberOfTotal})` : s.memberOf;
  return h('section', { 'aria-labelledby': 'member-of-heading' }, h('h2', { id: 'member-of-heading' }, title), body);
}

/** The badge a member row that is not a user carries. */
function kindBadge(s: UiStrings, kind: Exclude<ListRow['kind'], 'user'>): string {
  const labels = { group: s.groupKindShort, servicePrincipal: s.servicePrincipalKind, device: s.deviceKind, other: s.otherKind };
  return labels[kind];
}
