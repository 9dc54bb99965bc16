import type { DirectoryRef, ProfileAction, ProfileState } from '../webviews/protocol';
import { h } from './dom';
import { describeError, mountPlaceholder, restoreFocus, type MountContext, type MountedView } from './view';

/** A read-only profile: details, manager and Microsoft 365 groups, with the actions as buttons. */
export function mountProfile(state: ProfileState, ctx: MountContext): MountedView {
  const s = state.strings;
  const act = (action: ProfileAction) => () => ctx.channel.send({ type: 'action', action });
  const user = state.user;
  if (!user) return mountPlaceholder(ctx, s, state.loading ? undefined : state.error, act('refresh'));

  const button = (id: string, label: string, action: ProfileAction, primary = false, disabled = false): HTMLButtonElement => {
    const b = h('button', { id, type: 'button', class: primary ? 'primary' : 'secondary' }, label);
    b.disabled = disabled;
    b.addEventListener('click', act(action));
    return b;
  };

  const details = h('dl', { class: 'details' });
  for (const field of user.fields) {
    details.append(h('dt', {}, s[field.key]), field.value === '' ? h('dd', { class: 'subtle' }, s.notSet) : h('dd', {}, field.value));
  }

  const header = h('header', {},
    h('h1', {}, user.displayName),
    user.userPrincipalName !== '' && h('p', { class: 'subtle' }, user.userPrincipalName),
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': user.displayName },
      // Read-only mode: no button that changes the directory.
      !state.readOnlyMode && button('edit-user', s.editUser, 'editUser', true),
      button('copy-id', s.copyId, 'copyId'),
      button('copy-upn', s.copyUpn, 'copyUpn', false, user.userPrincipalName === ''),
      button('org-chart', s.orgChart, 'orgChart'),
      button('refresh', s.refresh, 'refresh')),
    state.loading && h('p', { class: 'subtle', role: 'status' }, s.loading));

  ctx.root.append(
    header,
    section('details', s.details, details),
    section('manager', s.manager, managerBody(state, button)),
    section('groups', state.groups ? `${s.groups} (${state.groups.length}${state.groupsMore ? '+' : ''})` : s.groups, groupsBody(state, (groupId) => ctx.channel.send({ type: 'openGroup', groupId }))),
  );
  restoreFocus(ctx, () => undefined);
  return { receive: () => undefined, pendingRequest: () => undefined, dispose: () => undefined };
}

function section(id: string, title: string, body: Node): HTMLElement {
  return h('section', { 'aria-labelledby': `${id}-heading` }, h('h2', { id: `${id}-heading` }, title), body);
}

type ButtonMaker = (id: string, label: string, action: ProfileAction) => HTMLButtonElement;

function managerBody(state: ProfileState, button: ButtonMaker): Node {
  const s = state.strings;
  if (state.managerError) return h('p', { class: 'error-text' }, describeError(state.managerError));
  if (state.manager === undefined) return h('p', { class: 'subtle' }, s.loading);
  const writable = state.readOnlyMode !== true;
  if (state.manager === null) return h('div', { class: 'person' }, h('p', { class: 'subtle' }, s.noManager), writable && button('set-manager', s.setManager, 'setManager'));
  return h('div', { class: 'person' }, row(state.manager), state.managerDisabled === true && h('span', { class: 'badge disabled' }, s.disabled),
    button('open-manager', s.openManager, 'openManager'),
    writable && button('set-manager', s.changeManager, 'setManager'),
    writable && button('clear-manager', s.clearManager, 'clearManager'));
}

/** A listed group opens its page: the name is a button, so Enter and a click both work. */
function groupRow(ref: DirectoryRef, title: string, open: (id: string) => void): HTMLElement {
  const link = h('button', { type: 'button', class: 'group-link', id: `open-group-${ref.id}`, title: `${title}: ${ref.displayName}` }, ref.displayName);
  link.addEventListener('click', () => open(ref.id));
  return h('span', { class: 'ref' }, link, ref.detail !== '' && h('span', { class: 'detail' }, ref.detail));
}

function groupsBody(state: ProfileState, open: (id: string) => void): Node {
  if (state.groupsError) return h('p', { class: 'error-text' }, describeError(state.groupsError));
  if (!state.groups) return h('p', { class: 'subtle' }, state.strings.loading);
  if (state.groups.length === 0) return h('p', { class: 'subtle' }, state.strings.noGroups);
  const list = h('ul', { class: 'list' }, ...state.groups.map((g) => h('li', {}, groupRow(g, state.strings.openGroup, open))));
  return state.groupsMore ? h('div', {}, list, h('p', { class: 'subtle' }, state.strings.moreGroups)) : list;
}

function row(ref: DirectoryRef): HTMLElement {
  return h('span', { class: 'ref' }, h('span', { class: 'name' }, ref.displayName), ref.detail !== '' && h('span', { class: 'detail' }, ref.detail));
}
