/**
 * Which rows of the directory table are selected, and which has the focus, as a list of checkboxes behaves: a click
 * selects one row, ctrl/cmd-click toggles one, shift-click selects the range from the anchor; arrows move the focus,
 * space toggles the focused row, shift+arrows select from the anchor to the focus, ctrl+A selects every row shown.
 * Rows are known by id, so a selection survives sorting; filtering drops what is no longer shown (an action never
 * reaches a row the admin cannot see). DOM-free, so it is tested in Node.
 */
export class TableSelection {
  private readonly selected = new Set<string>();
  private anchor = -1;
  /** Position of the focused row among the rows shown; -1 when none. */
  focus = -1;
  /** How many rows are shown, and the id of the row at each position. */
  private length = 0;
  private idAt: (position: number) => string | undefined = () => undefined;

  /**
   * The rows now shown. After a sort or a filter (`reordered`), selected rows no longer shown are let go and the focus
   * follows its row; when rows were only added at the end, positions are unchanged and nothing needs looking at.
   */
  setShown(length: number, idAt: (position: number) => string | undefined, reordered = true): void {
    const focusedId = this.idAt(this.focus);
    const anchorId = this.idAt(this.anchor);
    this.length = length;
    this.idAt = (p) => (p >= 0 && p < this.length ? idAt(p) : undefined);
    if (!reordered) return;
    const positions = new Map<string, number>();
    if (this.selected.size > 0 || focusedId !== undefined || anchorId !== undefined) for (let p = 0; p < length; p++) positions.set(idAt(p) ?? '', p);
    for (const id of [...this.selected]) if (!positions.has(id)) this.selected.delete(id);
    const stillShown = focusedId === undefined ? -1 : (positions.get(focusedId) ?? -1);
    // A focused row filtered away hands the focus to the row now at its place.
    this.focus = stillShown >= 0 || this.focus < 0 ? stillShown : Math.min(this.focus, length - 1);
    this.anchor = anchorId === undefined ? -1 : (positions.get(anchorId) ?? -1);
  }

  get size(): number {
    return this.selected.size;
  }

  has(id: string): boolean {
    return this.selected.has(id);
  }

  /** The selected ids in the order they are shown. */
  ids(): string[] {
    const ids: string[] = [];
    if (this.selected.size === 0) return ids;
    for (let p = 0; p < this.length; p++) {
      const id = this.idAt(p);
      if (id !== undefined && this.selected.has(id)) ids.push(id);
    }
    return ids;
  }

  click(position: number, keys: { shift?: boolean; toggle?: boolean } = {}): void {
    const id = this.idAt(position);
    if (id === undefined) return;
    if (keys.shift && this.anchor >= 0) {
      if (!keys.toggle) this.selected.clear();
      this.selectRange(this.anchor, position);
    } else if (keys.toggle) {
      this.toggleAt(position);
      this.anchor = position;
    } else {
      this.selected.clear();
      this.selected.add(id);
      this.anchor = position;
    }
    this.focus = position;
  }

  /** Moves the focus by `delta` rows (clamped); with shift, the selection becomes the range from the anchor. */
  move(delta: number, shift = false): void {
    if (this.length === 0) return;
    const from = this.focus < 0 ? 0 : this.focus;
    const to = this.focus < 0 ? 0 : Math.min(this.length - 1, Math.max(0, from + delta));
    if (shift) {
      if (this.anchor < 0) this.anchor = from;
      this.selected.clear();
      this.selectRange(this.anchor, to);
    }
    this.focus = to;
  }

  /** Space: toggles the focused row and makes it the anchor. */
  toggleFocused(): void {
    if (this.focus < 0) return;
    this.toggleAt(this.focus);
    this.anchor = this.focus;
  }

  selectAll(): void {
    for (let p = 0; p < this.length; p++) {
      const id = this.idAt(p);
      if (id !== undefined) this.selected.add(id);
    }
  }

  clear(): void {
    this.selected.clear();
  }

  private toggleAt(position: number): void {
    const id = this.idAt(position);
    if (id === undefined) return;
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  private selectRange(a: number, b: number): void {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    for (let i = lo; i <= hi; i++) {
      const id = this.idAt(i);
      if (id !== undefined) this.selected.add(id);
    }
  }
}
