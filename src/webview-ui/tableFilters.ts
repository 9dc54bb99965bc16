import { GROUP_KIND_CODES, MEMBERSHIP_CODES, NO_FILTERS, type TableFilters, type TableKind } from '../shared/directoryTable';
import type { UiStrings } from '../webviews/protocol';
import { h } from './dom';

const TEXT_DEBOUNCE_MS = 150;

/** The words for a group kind or membership code (shared with the cells, so a filter's choice reads as the column does). */
export function codeLabel(s: UiStrings, code: string): string {
  switch (code) {
    case 'microsoft365': return s.microsoft365;
    case 'security': return s.security;
    case 'mailEnabledSecurity': return s.mailEnabledSecurity;
    case 'distribution': return s.distribution;
    case 'assigned': return s.assignedMembership;
    case 'dynamic': return s.dynamicMembership;
    default: return code;
  }
}

/** Filters as they may come back from saved page state: anything not of the right shape is dropped. */
export function recallFilters(raw: unknown): TableFilters {
  const f = { ...NO_FILTERS };
  if (typeof raw !== 'object' || raw === null) return f;
  const r = raw as Record<string, unknown>;
  const pick = <K extends keyof TableFilters>(key: K, allowed?: readonly string[]): void => {
    const v = r[key];
    if (typeof v === 'string' && v.length <= 200 && (!allowed || allowed.includes(v))) (f as Record<K, unknown>)[key] = v;
  };
  pick('text');
  pick('department');
  pick('jobTitle');
  pick('createdFrom');
  pick('createdTo');
  pick('enabled', ['any', 'enabled', 'disabled']);
  pick('userType', ['any', 'Member', 'Guest']);
  pick('groupKind', ['any', ...GROUP_KIND_CODES]);
  pick('membership', ['any', ...MEMBERSHIP_CODES]);
  return f;
}

/**
 * The filter bar: each control changes one filter and calls `changed` (typed text after a short pause). Built from
 * `filters`, which it updates in place.
 */
export function filterBar(kind: TableKind, s: UiStrings, filters: TableFilters, changed: () => void): HTMLElement {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = (): void => {
    clearTimeout(timer);
    timer = setTimeout(changed, TEXT_DEBOUNCE_MS);
  };
  const labelled = (id: string, label: string, control: HTMLElement): HTMLElement => h('label', { class: 'table-filter', for: id }, h('span', {}, label), control);
  const textInput = (key: 'text' | 'department' | 'jobTitle', label: string, placeholder?: string): HTMLElement => {
    const id = `table-filter-${key}`;
    const input = h('input', { id, type: 'text', placeholder, spellcheck: 'false', autocomplete: 'off' });
    input.value = filters[key];
    input.addEventListener('input', () => {
      filters[key] = input.value;
      later();
    });
    return labelled(id, label, input);
  };
  const choice = <K extends 'enabled' | 'userType' | 'groupKind' | 'membership'>(key: K, label: string, options: ReadonlyArray<[TableFilters[K], string]>): HTMLElement => {
    const id = `table-filter-${key}`;
    const select = h('select', { id }, ...options.map(([value, text]) => h('option', { value }, text)));
    select.value = filters[key];
    select.addEventListener('change', () => {
      filters[key] = select.value as TableFilters[K];
      changed();
    });
    return labelled(id, label, select);
  };
  const day = (key: 'createdFrom' | 'createdTo', label: string): HTMLElement => {
    const id = `table-filter-${key}`;
    const input = h('input', { id, type: 'date' });
    input.value = filters[key];
    input.addEventListener('change', () => {
      filters[key] = input.value;
      changed();
    });
    return labelled(id, label, input);
  };

  const textLabel = kind === 'users' ? s.filterTable : s.filterGroupTable;
  const controls: HTMLElement[] = [textInput('text', textLabel, textLabel)];
  if (kind === 'users') {
    controls.push(
      choice('enabled', s.accountEnabled, [['any', s.anyValue], ['enabled', s.enabledValue], ['disabled', s.disabled]]),
      choice('userType', s.userType, [['any', s.anyValue], ['Member', s.memberType], ['Guest', s.guestType]]),
      textInput('department', s.department),
      textInput('jobTitle', s.jobTitle),
    );
  } else {
    controls.push(
      choice('groupKind', s.groupKind, [['any', s.anyValue], ...GROUP_KIND_CODES.map((c): ['any' | (typeof GROUP_KIND_CODES)[number], string] => [c, codeLabel(s, c)])]),
      choice('membership', s.membershipType, [['any', s.anyValue], ...MEMBERSHIP_CODES.map((c): ['any' | (typeof MEMBERSHIP_CODES)[number], string] => [c, codeLabel(s, c)])]),
    );
  }
  controls.push(day('createdFrom', s.createdFrom), day('createdTo', s.createdTo));
  const clear = h('button', { id: 'table-clear-filters', type: 'button', class: 'secondary' }, s.clearFilters);
  const bar = h('div', { class: 'table-filters', role: 'group', 'aria-label': s.filters }, ...controls, clear);
  clear.addEventListener('click', () => {
    Object.assign(filters, NO_FILTERS);
    for (const el of bar.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
      const key = el.id.replace('table-filter-', '') as keyof TableFilters;
      el.value = filters[key];
    }
    changed();
  });
  return bar;
}
