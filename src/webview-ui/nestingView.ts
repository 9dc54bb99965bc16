import type { NestEdge, NestGroup, NestingState, UiStrings } from '../webviews/protocol';
import { format, h } from './dom';
import { describeError, mountPlaceholder, restoreFocus, type MountContext, type MountedView, type Reply } from './view';

/** Rows a tree draws at most: a graph where groups join and part again repeats subtrees. */
const MAX_ROWS = 2000;

/**
 * Group nesting as trees: downward (the groups nested in a group) and upward (the groups it, or a user, is in). A
 * group met again on the same branch is a cycle: it is marked and not followed. For a user, the paths to a chosen group.
 */
export function mountNesting(state: NestingState, ctx: MountContext): MountedView {
  const s = state.strings;
  const subject = state.subject;
  if (!subject) return mountPlaceholder(ctx, s, state.loading ? undefined : state.error, () => ctx.channel.send({ type: 'nestingRefresh' }));
  const groups = new Map(state.groups.map((g) => [g.id, g]));
  const open = (groupId: string): void => ctx.channel.send({ type: 'nestingOpen', groupId });
  const refresh = h('button', { type: 'button', class: 'secondary', id: 'refresh' }, s.refresh);
  refresh.addEventListener('click', () => ctx.channel.send({ type: 'nestingRefresh' }));

  ctx.root.append(h('header', {},
    h('h1', {}, subject.displayName),
    h('p', { class: 'subtle' }, s.nesting),
    h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': s.nesting }, refresh),
    state.loading && h('p', { class: 'subtle', role: 'status' }, s.loading),
    state.error && h('div', { class: 'form-alert', role: 'alert' }, describeError(state.error)),
    state.incomplete !== undefined && h('p', { class: 'warning-text', id: 'nesting-incomplete' }, `${s.nestingIncomplete}: ${state.incomplete}`)));

  let explainer: Explainer | undefined;
  if (subject.kind === 'group') {
    ctx.root.append(
      treeSection('nested', s.nestedGroups, s.noNestedGroups, subject.id, state.down, groups, s, open),
      treeSection('member-of', s.nestedIn, s.notNestedIn, subject.id, state.up, groups, s, open),
    );
  } else {
    ctx.root.append(treeSection('member-of', s.userGroupsHeading, s.notNestedIn, subject.id, state.up, groups, s, open));
    explainer = new Explainer(ctx, s, subject.id, state, groups, open);
  }
  restoreFocus(ctx, () => undefined);
  return {
    receive: (reply: Reply) => explainer?.receive(reply),
    pendingRequest: () => undefined,
    dispose: () => undefined,
  };
}

function treeSection(id: string, title: string, empty: string, rootId: string, edges: readonly NestEdge[], groups: ReadonlyMap<string, NestGroup>, s: UiStrings, open: (id: string) => void): HTMLElement {
  const next = new Map<string, NestEdge[]>();
  for (const e of edges) {
    const list = next.get(e.from);
    if (list) list.push(e);
    else next.set(e.from, [e]);
  }
  const reachable = new Set(edges.map((e) => e.to));
  reachable.delete(rootId);
  const heading = `${title} (${format(s.memberGroupsCount, String(reachable.size))})`;
  const top = next.get(rootId) ?? [];
  const body = top.length === 0
    ? h('p', { class: 'subtle' }, empty)
    : h('ul', { class: 'nest-tree', role: 'tree', 'aria-label': title }, ...branch(rootId, next, groups, s, open, new Set([rootId]), { rows: 0 }));
  return h('section', { 'aria-labelledby': `${id}-heading`, id: `${id}-section` }, h('h2', { id: `${id}-heading` }, heading), body);
}

function branch(from: string, next: ReadonlyMap<string, NestEdge[]>, groups: ReadonlyMap<string, NestGroup>, s: UiStrings, open: (id: string) => void, onPath: Set<string>, budget: { rows: number }): HTMLElement[] {
  const items: HTMLElement[] = [];
  for (const edge of next.get(from) ?? []) {
    if (budget.rows++ >= MAX_ROWS) break;
    const group = groups.get(edge.to);
    const name = group?.displayName ?? edge.to;
    // A group already on this branch leads round in a circle: marked, not followed.
    if (edge.cycle || onPath.has(edge.to)) {
      items.push(h('li', { role: 'treeitem', class: 'cycle' }, h('span', { class: 'cycle-mark', 'aria-hidden': 'true' }, '↻ '), h('span', { class: 'name' }, name), h('span', { class: 'detail' }, ` — ${s.cycleMark}`)));
      continue;
    }
    const kids = next.get(edge.to) ?? [];
    const link = h('button', { type: 'button', class: 'group-link', title: `${s.openGroup}: ${name}` }, name);
    link.addEventListener('click', () => open(edge.to));
    const li = h('li', { role: 'treeitem', 'aria-expanded': kids.length > 0 ? 'true' : undefined }, link,
      group && h('span', { class: 'detail' }, ` ${group.kind}`),
      kids.length > 0 && h('span', { class: 'badge' }, String(kids.length)));
    if (kids.length > 0) {
      onPath.add(edge.to);
      li.append(h('ul', { role: 'group' }, ...branch(edge.to, next, groups, s, open, onPath, budget)));
      onPath.delete(edge.to);
    }
    items.push(li);
  }
  return items;
}

/** For a user: pick one of the user's groups, see the path(s) that make the user a member. */
class Explainer {
  private pending: number | undefined;
  private readonly result: HTMLElement;
  private readonly select: HTMLSelectElement;

  constructor(private readonly ctx: MountContext, private readonly s: UiStrings, private readonly userId: string, state: NestingState, private readonly groups: Map<string, NestGroup>, private readonly open: (id: string) => void) {
    const direct = new Set(state.up.filter((e) => e.from === userId).map((e) => e.to));
    this.select = h('select', { id: 'why-group', 'aria-label': s.pickGroup });
    for (const g of [...groups.values()].sort((a, b) => a.displayName.localeCompare(b.displayName))) {
      const option = h('option', {}, `${g.displayName} — ${direct.has(g.id) ? s.directMember : s.viaNesting}`);
      option.value = g.id;
      this.select.append(option);
    }
    const go = h('button', { type: 'button', class: 'primary', id: 'why-show' }, s.whyMember);
    go.disabled = groups.size === 0;
    go.addEventListener('click', () => this.ask(this.select.value));
    this.result = h('div', { id: 'why-result', role: 'status', 'aria-live': 'polite' });
    ctx.root.append(h('section', { 'aria-labelledby': 'why-heading' }, h('h2', { id: 'why-heading' }, s.whyMember), h('p', { class: 'subtle' }, s.pickGroup), h('div', { class: 'toolbar' }, this.select, go), this.result));
  }

  private ask(groupId: string): void {
    if (groupId === '') return;
    this.pending = this.ctx.channel.nextRequestId();
    this.result.replaceChildren(h('p', { class: 'subtle' }, this.s.loading));
    this.ctx.channel.send({ type: 'nestingExplain', requestId: this.pending, groupId });
  }

  receive(reply: Reply): void {
    if (reply.type !== 'nestingPaths' || reply.requestId !== this.pending) return;
    this.pending = undefined;
    for (const g of reply.groups) if (!this.groups.has(g.id)) this.groups.set(g.id, g);
    const name = (id: string): string => this.groups.get(id)?.displayName ?? id;
    if (reply.error) {
      this.result.replaceChildren(h('p', { class: 'error-text' }, describeError(reply.error)));
      return;
    }
    if (!reply.member) {
      this.result.replaceChildren(h('p', {}, this.s.notAMember));
      return;
    }
    const paths = reply.paths.map((path) => {
      const steps = path.map((id) => {
        const b = h('button', { type: 'button', class: 'group-link' }, name(id));
        b.addEventListener('click', () => this.open(id));
        return h('li', {}, b);
      });
      return h('li', { class: 'path' }, h('ol', { class: 'path-steps' }, ...steps));
    });
    this.result.replaceChildren(h('div', {},
      paths.length > 0 ? h('ol', { class: 'paths', id: 'why-paths' }, ...paths) : h('p', { class: 'subtle' }, this.s.noPath),
      reply.more && h('p', { class: 'subtle' }, this.s.pathsMore),
      reply.cycles.length > 0 && h('ul', { class: 'cycles', id: 'why-cycles' }, ...reply.cycles.map((c) => h('li', { class: 'cycle' }, `↻ ${name(c.from)} → ${name(c.to)} — ${this.s.cycleMark}`)))));
  }
}
