/**
 * The org chart's layout, shared by the page (drawing) and the extension (SVG export), in grid units: `slot` is a
 * column, `row` a line of cards. One pass down and one up, O(n), whatever the shape of the organisation.
 *
 * A manager whose shown reports all have no reports shown stacks them in one column below itself (as admin centers
 * do), so a team of 200 is one column, not 200; other managers sit centred over their reports' columns.
 */

export interface ChartNode {
  id: string;
  /** The person drawn above (the manager in this chart); undefined for the chart's top. */
  parentId: string | undefined;
}

export interface Placed {
  slot: number;
  row: number;
  /** True when the card sits in its manager's column of stacked reports. */
  stacked: boolean;
}

export interface ChartLayout {
  placed: Map<string, Placed>;
  /** Columns used; a fresh column starts at each whole number. */
  slots: number;
  rows: number;
}

/**
 * Lays out the tree under `rootId`. `collapsed` managers show none of their reports. Nodes whose parent is not in
 * `nodes` (or that are unreachable from the root) are left out; a parent link that leads around in a circle cannot
 * loop because each node is visited once, from its one parent.
 */
export function layoutChart(rootId: string, nodes: readonly ChartNode[], collapsed: ReadonlySet<string> = new Set()): ChartLayout {
  const children = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const n of nodes) {
    // One place per person: a second entry for the same id is ignored.
    if (n.parentId === undefined || n.id === rootId || seen.has(n.id)) continue;
    seen.add(n.id);
    const list = children.get(n.parentId);
    if (list) list.push(n.id);
    else children.set(n.parentId, [n.id]);
  }
  const shown = (id: string): readonly string[] => (collapsed.has(id) ? [] : children.get(id) ?? []);

  const placed = new Map<string, Placed>();
  let nextSlot = 0;
  let rows = 0;
  // Pre-order: rows, and columns for leaves and stacked teams. Post-order: managers centred over their reports.
  const stack: Array<{ id: string; row: number; phase: 'enter' | 'exit' }> = [{ id: rootId, row: 0, phase: 'enter' }];
  while (stack.length > 0) {
    const item = stack.pop() as { id: string; row: number; phase: 'enter' | 'exit' };
    const kids = shown(item.id);
    if (item.phase === 'exit') {
      const own = placed.get(item.id) as Placed;
      own.slot = ((placed.get(kids[0] as string) as Placed).slot + (placed.get(kids.at(-1) as string) as Placed).slot) / 2;
      continue;
    }
    rows = Math.max(rows, item.row + 1);
    if (kids.length === 0) {
      placed.set(item.id, { slot: nextSlot++, row: item.row, stacked: false });
      continue;
    }
    if (kids.every((k) => shown(k).length === 0)) {
      const slot = nextSlot++;
      placed.set(item.id, { slot, row: item.row, stacked: false });
      kids.forEach((k, i) => placed.set(k, { slot, row: item.row + 1 + i, stacked: true }));
      rows = Math.max(rows, item.row + 1 + kids.length);
      continue;
    }
    placed.set(item.id, { slot: nextSlot, row: item.row, stacked: false });
    stack.push({ id: item.id, row: item.row, phase: 'exit' });
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ id: kids[i] as string, row: item.row + 1, phase: 'enter' });
  }
  return { placed, slots: nextSlot, rows };
}

/** Card size and spacing in pixels, the same on the page and in an exported SVG. */
export const CARD = { width: 210, height: 62, gapX: 34, gapY: 26, stackIndent: 18 } as const;

/** A placed card's top-left corner in pixels. */
export function cardOrigin(p: Placed): { x: number; y: number } {
  return { x: p.slot * (CARD.width + CARD.gapX) + (p.stacked ? CARD.stackIndent : 0), y: p.row * (CARD.height + CARD.gapY) };
}

/** The connector from a manager's card to a report's: down from the manager, then across (stacked) or down (below). */
export function connector(manager: Placed, report: Placed): string {
  const m = cardOrigin(manager);
  const r = cardOrigin(report);
  if (report.stacked) {
    const x = m.x + CARD.stackIndent / 2;
    return `M${x} ${m.y + CARD.height}V${r.y + CARD.height / 2}H${r.x}`;
  }
  const midY = m.y + CARD.height + CARD.gapY / 2;
  return `M${m.x + CARD.width / 2} ${m.y + CARD.height}V${midY}H${r.x + CARD.width / 2}V${r.y}`;
}

/** Up to two letters for a person's badge: first and last word's initials, else the first letter. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => w !== '');
  const first = [...(words[0] ?? '')][0] ?? '?';
  const last = words.length > 1 ? [...(words.at(-1) ?? '')][0] ?? '' : '';
  return (first + last).toLocaleUpperCase();
}
