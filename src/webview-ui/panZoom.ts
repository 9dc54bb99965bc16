/**
 * Pan and zoom over a drawing in an element: drag to pan, wheel to zoom at the pointer, with limits. The drawing is
 * redrawn through `onChange`; `dragged` tells a click that ends a drag from a real click.
 */

export interface Transform {
  x: number;
  y: number;
  k: number;
}

export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2;

const clampZoom = (k: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, k));

export class PanZoom {
  t: Transform = { x: 0, y: 0, k: 1 };
  /** True from the moment a press moves far enough to be a drag until just after it ends. */
  dragged = false;

  constructor(private readonly element: HTMLElement, private readonly onChange: () => void) {
    let drag: { x: number; y: number; tx: number; ty: number; id: number } | undefined;
    element.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      this.dragged = false;
      drag = { x: e.clientX, y: e.clientY, tx: this.t.x, ty: this.t.y, id: e.pointerId };
    });
    element.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!this.dragged && Math.hypot(dx, dy) < 4) return;
      if (!this.dragged) element.setPointerCapture(e.pointerId);
      this.dragged = true;
      element.classList.add('dragging');
      this.set({ x: drag.tx + dx, y: drag.ty + dy, k: this.t.k });
    });
    const end = (): void => {
      drag = undefined;
      element.classList.remove('dragging');
      // The click that ends a drag must not count as a click; the next press starts afresh.
      setTimeout(() => (this.dragged = false), 0);
    };
    element.addEventListener('pointerup', end);
    element.addEventListener('pointercancel', end);
    element.addEventListener('wheel', (e) => {
      e.preventDefault();
      const box = element.getBoundingClientRect();
      this.zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1, e.clientX - box.left, e.clientY - box.top);
    }, { passive: false });
  }

  get width(): number {
    return this.element.clientWidth;
  }

  get height(): number {
    return this.element.clientHeight;
  }

  set(t: Transform): void {
    this.t = { x: t.x, y: t.y, k: clampZoom(t.k) };
    this.onChange();
  }

  /** Zooms by `factor` keeping the point (cx, cy) of the element where it is; the centre by default. */
  zoomBy(factor: number, cx = this.width / 2, cy = this.height / 2): void {
    const k = clampZoom(this.t.k * factor);
    const f = k / this.t.k;
    this.set({ x: cx - (cx - this.t.x) * f, y: cy - (cy - this.t.y) * f, k });
  }

  /** A drawing of `w` × `h` wholly in view (within the zoom limits), centred across, from the top. */
  fit(w: number, h: number): void {
    const k = clampZoom(Math.min(this.width / Math.max(1, w), this.height / Math.max(1, h)));
    this.set({ x: (this.width - w * k) / 2, y: 10, k });
  }

  /** The point (px, py) of the drawing at the middle across and a third down. */
  centreOn(px: number, py: number, k = this.t.k): void {
    const width = this.width || 800;
    const height = this.height || 600;
    this.set({ x: width / 2 - px * k, y: height / 3 - py * k, k });
  }

  /** Whether a box of the drawing lies wholly in view. */
  inView(px: number, py: number, w: number, h: number): boolean {
    const sx = px * this.t.k + this.t.x;
    const sy = py * this.t.k + this.t.y;
    return sx >= 0 && sy >= 0 && sx + w * this.t.k <= this.width && sy + h * this.t.k <= this.height;
  }
}
