import { clipCharacters } from '../shared/text';
import { CARD, cardOrigin, connector, initialsOf, layoutChart, type ChartLayout } from '../shared/orgLayout';
import type { ChartPerson, OrgChartState, UiStrings } from '../webviews/protocol';
import { format, h, svg } from './dom';
import { PanZoom } from './panZoom';
import { describeError, mountPlaceholder, type MountContext, type MountedView, type Reply } from './view';

/** Cards this far outside the viewport are drawn too, so a small pan shows no gap. */
const MARGIN = 200;
/** Below this zoom, text is too small to read: cards are drawn as plain boxes, which keeps the whole chart quick to draw. */
const DETAIL_ZOOM = 0.4;
/** Room above the top card when the chart is shown from the top of the chain. */
const FIRST_VIEW_PAD = 12;

/**
 * The org chart: SVG cards laid out by the shared O(n) layout, only those in view drawn (so 5,000 people pan as
 * smoothly as 50), panned by dragging, zoomed by wheel or keys, walked with the arrow keys. The page holds people the
 * extension sent; reports are read on request, one manager at a time.
 */
export function mountOrgChart(state: OrgChartState, ctx: MountContext): MountedView {
  const s = state.strings;
  if (state.people.length === 0) return mountPlaceholder(ctx, s, state.loading ? undefined : state.error, () => ctx.channel.send({ type: 'chartAction', action: 'refresh' }));
  return new OrgChartView(state, ctx);
}

class OrgChartView implements MountedView {
  private readonly s: UiStrings;
  private readonly people = new Map<string, ChartPerson>();
  private readonly children = new Map<string, string[]>();
  private readonly collapsed = new Set<string>();
  /** Managers whose reports are being read, by request id. */
  private readonly pending = new Map<number, string>();
  /** Managers with more reports than one expansion brings. */
  private readonly more = new Set<string>();
  private topId: string;
  private current: string;
  private layout: ChartLayout;
  private readonly view: PanZoom;
  private matches: string[] = [];
  private matchAt = -1;
  private frame = 0;
  private readonly viewport: HTMLElement;
  private readonly canvas: SVGSVGElement;
  private readonly scene: SVGGElement;
  private readonly live: HTMLElement;
  private readonly searchStatus: HTMLElement;
  private readonly searchBox: HTMLInputElement;
  private readonly note: HTMLElement;
  private readonly cleanup: Array<() => void> = [];

  constructor(private readonly state: OrgChartState, private readonly ctx: MountContext) {
    this.s = state.strings;
    for (const p of state.people) this.addPerson(p);
    this.topId = state.people.find((p) => p.managerId === '')?.id ?? (state.people[0] as ChartPerson).id;
    this.current = state.focusId && this.people.has(state.focusId) ? state.focusId : this.topId;
    this.layout = this.relayout();

    const s = this.s;
    this.searchBox = h('input', { type: 'search', id: 'chart-search', placeholder: s.chartSearch, 'aria-label': s.chartSearch });
    this.searchStatus = h('span', { class: 'subtle', role: 'status', id: 'chart-search-status' });
    const button = (id: string, label: string, onClick: () => void, text = label): HTMLButtonElement => {
      const b = h('button', { id, type: 'button', class: 'secondary', title: label, 'aria-label': label }, text);
      b.addEventListener('click', onClick);
      return b;
    };
    this.note = h('p', { class: 'chart-note', id: 'chart-note' });
    this.live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: 'chart-live' });
    this.scene = svg('g');
    this.canvas = svg('svg', { class: 'chart-canvas', 'aria-hidden': 'true' }, this.scene);
    this.viewport = h('div', { class: 'chart-viewport', id: 'chart', tabindex: '0', role: 'application', 'aria-label': s.orgChart, 'aria-describedby': 'chart-help' }, this.canvas);

    ctx.root.append(
      h('header', {},
        h('h1', {}, s.orgChart),
        h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': s.orgChart },
          this.searchBox, this.searchStatus,
          button('zoom-out', s.zoomOut, () => this.view.zoomBy(1 / 1.25), '−'),
          button('zoom-in', s.zoomIn, () => this.view.zoomBy(1.25), '+'),
          button('zoom-fit', s.zoomReset, () => this.fit()),
          button('export-svg', s.exportSvg, () => ctx.channel.send({ type: 'chartAction', action: 'exportSvg' })),
          button('refresh', s.refresh, () => ctx.channel.send({ type: 'chartAction', action: 'refresh' }))),
        state.loading && h('p', { class: 'subtle', role: 'status' }, s.loading),
        state.error && h('div', { class: 'form-alert', role: 'alert' }, describeError(state.error)),
        this.note),
      this.viewport,
      h('p', { class: 'subtle', id: 'chart-help' }, s.chartHelp),
      this.live,
    );
    this.view = new PanZoom(this.viewport, () => this.draw());
    this.showChainEnd();
    this.wire();
    this.firstView();
    if (ctx.focusedId === 'chart') this.viewport.focus();
  }

  receive(reply: Reply): void {
    if (reply.type !== 'chartReports') return;
    const managerId = this.pending.get(reply.requestId);
    if (managerId === undefined) return;
    this.pending.delete(reply.requestId);
    const manager = this.people.get(managerId);
    if (!manager) return;
    if (reply.error) {
      this.say(describeError(reply.error));
      this.draw();
      return;
    }
    manager.reportsRead = true;
    for (const p of reply.people) this.addPerson(p);
    if (reply.more) this.more.add(managerId);
    this.collapsed.delete(managerId);
    this.layout = this.relayout();
    this.draw();
    const count = this.children.get(managerId)?.length ?? 0;
    this.say(count === 0 ? `${manager.displayName}: ${this.s.noReports}` : `${manager.displayName}: ${format(this.s.reportsOf, String(count))}`);
  }

  pendingRequest(): number | undefined {
    return undefined;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
    for (const undo of this.cleanup) undo();
  }

  // ── Model ──────────────────────────────────────────────────────────────────

  private addPerson(p: ChartPerson): void {
    if (this.people.has(p.id)) return;
    this.people.set(p.id, { ...p });
    if (p.managerId === '') return;
    const list = this.children.get(p.managerId);
    if (list) list.push(p.id);
    else this.children.set(p.managerId, [p.id]);
  }

  private relayout(): ChartLayout {
    const nodes = [...this.people.values()].map((p) => ({ id: p.id, parentId: p.managerId === '' ? undefined : p.managerId }));
    return layoutChart(this.topId, nodes, this.collapsed);
  }

  private visibleChildren(id: string): string[] {
    return this.collapsed.has(id) ? [] : (this.children.get(id) ?? []).filter((c) => this.layout.placed.has(c));
  }

  /** Reads the reports of a person whose reports are unread; else shows or hides them. */
  private toggle(id: string): void {
    const person = this.people.get(id);
    if (!person) return;
    if (!person.reportsRead) {
      if ([...this.pending.values()].includes(id)) return;
      const requestId = this.ctx.channel.nextRequestId();
      this.pending.set(requestId, id);
      this.ctx.channel.send({ type: 'chartExpand', requestId, userId: id });
      this.say(this.s.loading);
      this.draw();
      return;
    }
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.layout = this.relayout();
    if (!this.layout.placed.has(this.current)) this.current = id;
    this.draw();
  }

  private open(id: string): void {
    this.ctx.channel.send({ type: 'chartOpen', userId: id });
  }

  // ── Drawing ────────────────────────────────────────────────────────────────

  /** Draws on the next frame, once however many changes come before it. */
  private draw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.drawNow();
    });
  }

  /** Draws the cards in view (and their connectors); the rest of the chart costs nothing until panned to. */
  drawNow(): void {
    const { x, y, k } = this.view.t;
    const width = this.viewport.clientWidth;
    const height = this.viewport.clientHeight;
    const left = (-x - MARGIN) / k;
    const top = (-y - MARGIN) / k;
    const right = (width - x + MARGIN) / k;
    const bottom = (height - y + MARGIN) / k;
    const inView = (px: number, py: number): boolean => px + CARD.width >= left && px <= right && py + CARD.height >= top && py <= bottom;
    const edges = svg('g', { class: 'edges' });
    const cards = svg('g', { class: 'cards' });
    for (const [id, placed] of this.layout.placed) {
      const o = cardOrigin(placed);
      const person = this.people.get(id) as ChartPerson;
      const manager = this.layout.placed.get(person.managerId);
      if (manager) {
        const m = cardOrigin(manager);
        if (inView(o.x, o.y) || inView(m.x, m.y)) edges.append(svg('path', { d: connector(manager, placed) }));
      }
      if (inView(o.x, o.y)) cards.append(this.card(person, o.x, o.y));
    }
    this.scene.setAttribute('transform', `translate(${x} ${y}) scale(${k})`);
    this.scene.replaceChildren(edges, cards);
    this.viewport.setAttribute('aria-activedescendant', cardId(this.current));
  }

  private card(p: ChartPerson, x: number, y: number): SVGGElement {
    const classes = ['card'];
    if (p.disabled) classes.push('disabled');
    if (p.id === this.current) classes.push('current');
    if (p.id === this.state.focusId) classes.push('focus');
    if (this.matches.includes(p.id)) classes.push('match');
    const detail = [p.jobTitle, p.department].filter((t) => t !== '').join(' · ');
    if (this.view.t.k < DETAIL_ZOOM) {
      const box = svg('g', { class: classes.join(' '), id: cardId(p.id), transform: `translate(${x} ${y})`, role: 'treeitem', 'aria-label': this.spoken(p) },
        svg('rect', { width: CARD.width, height: CARD.height, rx: 6 }));
      box.addEventListener('click', () => this.view.dragged || this.centreOn(p.id, 1));
      return box;
    }
    const g = svg('g', { class: classes.join(' '), id: cardId(p.id), transform: `translate(${x} ${y})`, role: 'treeitem', 'aria-label': this.spoken(p) },
      svg('rect', { width: CARD.width, height: CARD.height, rx: 6 }),
      svg('circle', { class: 'avatar', cx: 24, cy: CARD.height / 2, r: 16 }),
      svg('text', { class: 'initials', x: 24, y: CARD.height / 2 + 4 }, initialsOf(p.displayName)),
      svg('text', { class: 'name', x: 48, y: 22 }, clipCharacters(p.displayName, 22)),
      svg('text', { class: 'detail', x: 48, y: 38 }, clipCharacters(detail, 28)),
      p.disabled && svg('text', { class: 'badge-text', x: 48, y: 53 }, this.s.disabled),
    );
    g.addEventListener('click', (e) => {
      if (this.view.dragged) return;
      e.stopPropagation();
      this.current = p.id;
      this.open(p.id);
    });
    const kids = this.children.get(p.id)?.length ?? 0;
    if (!p.reportsRead || kids > 0) {
      const waiting = [...this.pending.values()].includes(p.id);
      const label = waiting ? '…' : !p.reportsRead || this.collapsed.has(p.id) ? `+${kids > 0 ? kids : ''}` : '−';
      const chip = svg('g', { class: 'expander', transform: `translate(${CARD.width - 30} ${CARD.height - 20})` },
        svg('rect', { width: 26, height: 16, rx: 8 }),
        svg('text', { x: 13, y: 12 }, label),
        svg('title', {}, format(this.collapsed.has(p.id) || !p.reportsRead ? this.s.expandReports : this.s.collapseReports, p.displayName)));
      chip.addEventListener('click', (e) => {
        e.stopPropagation();
        if (this.view.dragged) return;
        this.current = p.id;
        this.toggle(p.id);
      });
      g.append(chip);
    }
    if (p.managerId === '' && this.state.chainEnd && this.state.chainEnd !== 'top') {
      g.append(svg('text', { class: 'chain-mark', x: CARD.width - 16, y: 16 }, this.state.chainEnd === 'cycle' ? '↻' : '?'));
    }
    if (p.moreReports || this.more.has(p.id)) g.append(svg('text', { class: 'chain-mark', x: CARD.width - 48, y: CARD.height - 8 }, '…'));
    return g;
  }

  private spoken(p: ChartPerson): string {
    const parts = [p.displayName, p.jobTitle, p.department, p.disabled ? this.s.disabled : ''];
    const kids = this.children.get(p.id)?.length ?? 0;
    if (p.reportsRead) parts.push(kids === 0 ? this.s.noReports : format(this.s.reportsOf, String(kids)));
    if (p.moreReports || this.more.has(p.id)) parts.push(this.s.moreReportsNotShown);
    return parts.filter((t) => t !== '').join(', ');
  }

  private showChainEnd(): void {
    const s = this.s;
    const note = this.state.chainNote ?? '';
    switch (this.state.chainEnd) {
      case 'cycle':
        this.note.textContent = format(s.chartCycle, note);
        this.note.classList.add('warning-text');
        return;
      case 'missing':
        this.note.textContent = format(s.chartMissing, note);
        this.note.classList.add('warning-text');
        return;
      case 'tooDeep':
        this.note.textContent = s.chartTooDeep;
        return;
      case 'top':
      case undefined:
        this.note.textContent = s.chartTop;
    }
  }

  private say(text: string): void {
    this.live.textContent = text;
  }

  // ── Moving around ──────────────────────────────────────────────────────────

  /** The whole chart in view. */
  private fit(): void {
    this.view.fit(Math.max(1, this.layout.slots) * (CARD.width + CARD.gapX), Math.max(1, this.layout.rows) * (CARD.height + CARD.gapY));
  }

  /**
   * The first view: the focus a third down, unless the chain above it would start out of sight while the chain and the
   * focus fit the height (a short editor): then from the top of the chain, so everyone above the focus is in view.
   */
  private firstView(): void {
    this.centreOn(this.current, 1);
    const focus = this.layout.placed.get(this.current);
    if (!focus || this.view.t.y >= FIRST_VIEW_PAD) return;
    if (cardOrigin(focus).y + CARD.height + FIRST_VIEW_PAD <= this.view.height) this.view.set({ ...this.view.t, y: FIRST_VIEW_PAD });
  }

  private centreOn(id: string, k?: number): void {
    const placed = this.layout.placed.get(id);
    if (!placed) return;
    const o = cardOrigin(placed);
    this.view.centreOn(o.x + CARD.width / 2, o.y + CARD.height / 2, k);
  }

  /** Moves the keyboard's place, bringing the card into view when it is not. */
  private moveTo(id: string | undefined): void {
    const placed = id === undefined ? undefined : this.layout.placed.get(id);
    if (id === undefined || !placed) return;
    this.current = id;
    const o = cardOrigin(placed);
    if (!this.view.inView(o.x, o.y, CARD.width, CARD.height)) this.centreOn(id);
    else this.draw();
    const p = this.people.get(id);
    if (p) this.say(this.spoken(p));
  }

  private sibling(step: number): string | undefined {
    const p = this.people.get(this.current);
    if (!p || p.managerId === '') return undefined;
    const list = this.visibleChildren(p.managerId);
    return list[list.indexOf(this.current) + step];
  }

  private onKey(e: KeyboardEvent): void {
    const p = this.people.get(this.current);
    let handled = true;
    switch (e.key) {
      case 'ArrowUp':
        this.moveTo(p && p.managerId !== '' ? p.managerId : undefined);
        break;
      case 'ArrowDown':
        this.moveTo(this.visibleChildren(this.current)[0]);
        break;
      case 'ArrowLeft':
        this.moveTo(this.sibling(-1));
        break;
      case 'ArrowRight':
        this.moveTo(this.sibling(1));
        break;
      case 'Home':
        this.moveTo(this.topId);
        break;
      case 'Enter':
      case ' ':
        this.toggle(this.current);
        break;
      case 'p':
      case 'P':
        this.open(this.current);
        break;
      case '+':
      case '=':
        this.view.zoomBy(1.25);
        break;
      case '-':
      case '_':
        this.view.zoomBy(1 / 1.25);
        break;
      case '0':
        this.fit();
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  }

  // ── Search ─────────────────────────────────────────────────────────────────

  private search(term: string, step: number): void {
    const t = term.trim().toLocaleLowerCase();
    if (t === '') {
      this.matches = [];
      this.searchStatus.textContent = '';
      this.draw();
      return;
    }
    const found = [...this.people.values()].filter((p) => [p.displayName, p.jobTitle, p.department].some((v) => v.toLocaleLowerCase().includes(t))).map((p) => p.id);
    const same = found.length === this.matches.length && found.every((id, i) => id === this.matches[i]);
    this.matches = found;
    this.matchAt = same ? (this.matchAt + step + found.length) % Math.max(1, found.length) : 0;
    if (found.length === 0) {
      this.searchStatus.textContent = format(this.s.chartNoMatch, term.trim());
      this.draw();
      return;
    }
    const id = found[this.matchAt] as string;
    this.reveal(id);
    this.searchStatus.textContent = format(this.s.chartMatches, String(this.matchAt + 1), String(found.length));
    this.moveTo(id);
  }

  /** Shows a person hidden under collapsed managers. */
  private reveal(id: string): void {
    let changed = false;
    for (let at = this.people.get(id), guard = 0; at && at.managerId !== '' && guard < this.people.size; at = this.people.get(at.managerId), guard++) {
      if (this.collapsed.delete(at.managerId)) changed = true;
    }
    if (changed) this.layout = this.relayout();
  }

  // ── Events ─────────────────────────────────────────────────────────────────

  private wire(): void {
    const vp = this.viewport;
    vp.addEventListener('keydown', (e) => this.onKey(e));
    this.searchBox.addEventListener('input', () => this.search(this.searchBox.value, 0));
    this.searchBox.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      this.search(this.searchBox.value, e.shiftKey ? -1 : 1);
    });
    const onResize = (): void => this.draw();
    window.addEventListener('resize', onResize);
    this.cleanup.push(() => window.removeEventListener('resize', onResize));
  }
}

/** Element ids from directory ids: the id is text the extension checked (at most 128 characters, no markup). */
function cardId(id: string): string {
  return `person-${id}`;
}

