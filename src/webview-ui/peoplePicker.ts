import type { DirectoryRef, ExtensionMessage, UiStrings } from '../webviews/protocol';
import { format, h } from './dom';
import { fieldId, type FieldHandle } from './formKit';

type SearchResult = Extract<ExtensionMessage, { type: 'searchResult' }>;

const DEBOUNCE_MS = 250;

export interface PickerOptions {
  name: string;
  label: string;
  max: number;
  strings: UiStrings;
  picked: readonly DirectoryRef[];
  /** Asks the extension to search; returns the request id the answer will carry. */
  search: (term: string) => number;
  /** The chosen people changed. */
  onChange: () => void;
  /** The search text changed (it counts as input until a person is chosen or the box is cleared). */
  onInput?: () => void;
}

/**
 * Picks users by searching Graph as one types: an ARIA combobox with a listbox of results and the
 * chosen people as removable chips. When results arrive the first is highlighted, so Enter picks it; arrow keys
 * move; Escape closes the list.
 */
export class PeoplePicker implements FieldHandle {
  readonly row: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly listbox: HTMLUListElement;
  private readonly chips: HTMLUListElement;
  private readonly note = h('div', { class: 'hint', 'aria-live': 'polite' });
  private readonly error: HTMLElement;
  private picked: DirectoryRef[];
  private results: DirectoryRef[] = [];
  private active = -1;
  private pending: number | undefined;
  private timer: number | undefined;

  constructor(private readonly o: PickerOptions) {
    const id = fieldId(o.name);
    this.picked = [...o.picked];
    this.error = h('div', { id: `${id}-error`, class: 'error-text' });
    this.input = h('input', {
      id, type: 'text', role: 'combobox', autocomplete: 'off', spellcheck: 'false', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': `${id}-list`, 'aria-describedby': `${id}-error`, placeholder: o.strings.searchPlaceholder,
    });
    this.listbox = h('ul', { id: `${id}-list`, role: 'listbox', class: 'listbox', 'aria-label': o.label, hidden: true });
    this.chips = h('ul', { class: 'chips', 'aria-label': o.label });
    this.row = h('div', { class: 'field picker' }, h('label', { for: id }, o.label), this.chips, h('div', { class: 'combo' }, this.input, this.listbox), this.note, this.error);
    this.input.addEventListener('input', () => {
      this.schedule();
      this.o.onInput?.();
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('blur', () => this.close());
    this.renderChips();
  }

  get name(): string {
    return this.o.name;
  }

  /** What is typed in the search box and not (yet) chosen. */
  typed(): string {
    return this.input.value;
  }

  ids(): string[] {
    return this.picked.map((p) => p.id);
  }

  people(): DirectoryRef[] {
    return [...this.picked];
  }

  focus(): void {
    this.input.focus();
  }

  setError(message: string | undefined): void {
    this.error.textContent = message ?? '';
    this.row.classList.toggle('invalid', message !== undefined);
    if (message === undefined) this.input.removeAttribute('aria-invalid');
    else this.input.setAttribute('aria-invalid', 'true');
  }

  /** Takes the answer to this picker's latest search; older answers are ignored. */
  receive(message: SearchResult): boolean {
    if (message.requestId !== this.pending) return false;
    this.pending = undefined;
    this.results = message.users.filter((u) => !this.picked.some((p) => p.id === u.id));
    this.note.textContent = message.error ? message.error.message : this.results.length ? '' : this.o.strings.noResults;
    this.renderResults();
    return true;
  }

  dispose(): void {
    window.clearTimeout(this.timer);
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    const term = this.input.value.trim();
    if (term === '') {
      this.pending = undefined;
      this.note.textContent = '';
      this.close();
      return;
    }
    this.timer = window.setTimeout(() => {
      this.note.textContent = this.o.strings.searching;
      this.pending = this.o.search(term);
    }, DEBOUNCE_MS);
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.listbox.hidden;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!this.results.length) return;
        e.preventDefault();
        if (!open) {
          this.listbox.hidden = false;
          this.input.setAttribute('aria-expanded', 'true');
          this.moveTo(0);
          return;
        }
        this.moveTo(e.key === 'ArrowDown' ? (this.active + 1) % this.results.length : (this.active - 1 + this.results.length) % this.results.length);
        return;
      case 'Enter': {
        // While searching, Enter picks (or does nothing); it submits the form only from an empty search box.
        if (this.input.value.trim() === '' && !open) return;
        e.preventDefault();
        const choice = this.results[this.active];
        if (open && choice) this.pick(choice);
        return;
      }
      case 'Escape':
        if (!open && this.input.value === '') return;
        // Closing the list (or clearing the search) comes before cancelling the whole form.
        e.preventDefault();
        e.stopPropagation();
        if (open) this.close();
        else {
          this.input.value = '';
          this.o.onInput?.();
        }
        return;
    }
  }

  private moveTo(index: number): void {
    this.active = index;
    this.listbox.querySelectorAll('[role="option"]').forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const id = `${fieldId(this.o.name)}-opt-${index}`;
    this.input.setAttribute('aria-activedescendant', id);
    document.getElementById(id)?.scrollIntoView({ block: 'nearest' });
  }

  private renderResults(): void {
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.listbox.replaceChildren(...this.results.map((user, i) => {
      const option = h('li', { id: `${fieldId(this.o.name)}-opt-${i}`, role: 'option', 'aria-selected': 'false' },
        h('span', { class: 'name' }, user.displayName), user.detail !== '' && h('span', { class: 'detail' }, user.detail));
      // Keep focus in the input so the combobox stays one tab stop.
      option.addEventListener('mousedown', (e) => e.preventDefault());
      option.addEventListener('click', () => this.pick(user));
      return option;
    }));
    const show = this.results.length > 0 && document.activeElement === this.input;
    this.listbox.hidden = !show;
    this.input.setAttribute('aria-expanded', String(show));
    // The first suggestion is highlighted, so Enter picks what the admin sees at the top.
    if (show) this.moveTo(0);
  }

  private close(): void {
    this.listbox.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  private pick(user: DirectoryRef): void {
    if (this.picked.length >= this.o.max) {
      this.note.textContent = this.o.strings.limitReached;
      return;
    }
    if (!this.picked.some((p) => p.id === user.id)) this.picked.push(user);
    this.input.value = '';
    this.results = [];
    this.note.textContent = '';
    this.renderResults();
    this.close();
    this.renderChips();
    this.o.onChange();
  }

  private remove(user: DirectoryRef): void {
    this.picked = this.picked.filter((p) => p.id !== user.id);
    this.renderChips();
    this.input.focus();
    this.o.onChange();
  }

  private renderChips(): void {
    this.chips.hidden = this.picked.length === 0;
    this.chips.replaceChildren(...this.picked.map((user) => {
      const remove = h('button', { type: 'button', class: 'chip-remove', 'aria-label': format(this.o.strings.removePerson, user.displayName), title: format(this.o.strings.removePerson, user.displayName) }, '×');
      remove.addEventListener('click', () => this.remove(user));
      return h('li', { class: 'chip' }, h('span', { class: 'name' }, user.displayName), user.detail !== '' && h('span', { class: 'detail' }, user.detail), remove);
    }));
  }
}
