import type { FieldError } from '../webviews/protocol';
import { h } from './dom';

/** A labelled control with its hint and error line wired up for screen readers. */
export interface FieldHandle {
  readonly row: HTMLElement;
  focus(): void;
  setError(message: string | undefined): void;
}

export interface ControlField<E extends HTMLElement> extends FieldHandle {
  readonly control: E;
}

interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
  /** The localized word shown after a required field's label. */
  required?: string;
}

export function fieldId(name: string): string {
  return `f-${name}`;
}

function wrap<E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(o: FieldOptions, control: E, inline = false): ControlField<E> {
  const id = fieldId(o.name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  control.id = id;
  control.name = o.name;
  control.setAttribute('aria-describedby', o.hint ? `${hintId} ${errorId}` : errorId);
  if (o.required) control.setAttribute('aria-required', 'true');
  const label = h('label', { for: id }, o.label, o.required && h('span', { class: 'required' }, ` (${o.required})`));
  const error = h('div', { id: errorId, class: 'error-text' });
  const hint = o.hint ? h('div', { id: hintId, class: 'hint' }, o.hint) : undefined;
  const row = inline ? h('div', { class: 'field checkbox' }, control, label, hint, error) : h('div', { class: 'field' }, label, control, hint, error);
  return {
    row,
    control,
    focus: () => control.focus(),
    setError(message) {
      error.textContent = message ?? '';
      row.classList.toggle('invalid', message !== undefined);
      if (message === undefined) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
    },
  };
}

export function textField(o: FieldOptions & { value: string; maxLength?: number; type?: 'text' | 'tel'; autocomplete?: string }): ControlField<HTMLInputElement> {
  const input = h('input', { type: o.type ?? 'text', autocomplete: o.autocomplete ?? 'off', spellcheck: 'false' });
  input.value = o.value;
  if (o.maxLength !== undefined) input.maxLength = o.maxLength;
  return wrap(o, input);
}

export function textAreaField(o: FieldOptions & { value: string; maxLength?: number }): ControlField<HTMLTextAreaElement> {
  const area = h('textarea', { rows: '3' });
  area.value = o.value;
  if (o.maxLength !== undefined) area.maxLength = o.maxLength;
  return wrap(o, area);
}

export interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
}

export function selectField(o: FieldOptions & { value: string; choices: readonly Choice[] }): ControlField<HTMLSelectElement> {
  const select = h('select');
  for (const c of o.choices) {
    const option = h('option', {}, c.label);
    option.value = c.value;
    option.disabled = c.disabled === true;
    select.append(option);
  }
  select.value = o.value;
  return wrap(o, select);
}

export function checkboxField(o: FieldOptions & { checked: boolean }): ControlField<HTMLInputElement> {
  const box = h('input', { type: 'checkbox' });
  box.checked = o.checked;
  return wrap(o, box, true);
}

/**
 * A form with a heading, an error summary (announced assertively), a status line (announced politely),
 * and Submit/Cancel. Enter in a text field submits natively; the caller decides what Escape does.
 */
export class FormShell {
  readonly form: HTMLFormElement;
  readonly fieldsBox: HTMLElement;
  private readonly fields = new Map<string, FieldHandle>();
  private readonly alert = h('div', { class: 'form-alert', role: 'alert' });
  private readonly alertActions = h('div', { class: 'actions alert-actions', hidden: true });
  private readonly status = h('div', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  private readonly submitButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  /** The summary shown while fields show errors, from a submit that found some until the next submit goes out. */
  private summary: string | undefined;

  constructor(o: { heading: string; subheading?: string; submitLabel: string; cancelLabel: string; onSubmit: () => void; onCancel: () => void }) {
    this.fieldsBox = h('div', { class: 'fields' });
    this.submitButton = h('button', { type: 'submit', class: 'primary' }, o.submitLabel);
    this.cancelButton = h('button', { type: 'button', class: 'secondary' }, o.cancelLabel);
    this.cancelButton.addEventListener('click', o.onCancel);
    this.form = h('form', { novalidate: true, 'aria-labelledby': 'form-heading' },
      h('h1', { id: 'form-heading' }, o.heading),
      o.subheading !== undefined && o.subheading !== '' && h('p', { class: 'subtle' }, o.subheading),
      this.alert,
      this.alertActions,
      this.fieldsBox,
      h('div', { class: 'actions' }, this.submitButton, this.cancelButton),
      this.status,
    );
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!this.form.hasAttribute('aria-busy')) o.onSubmit();
    });
  }

  add(name: string, field: FieldHandle): void {
    this.fields.set(name, field);
    this.fieldsBox.append(field.row);
  }

  /** Live validation: the summary follows, gone while no field shows an error and back when one does again. */
  setFieldError(name: string, message: string | undefined): void {
    this.fields.get(name)?.setError(message);
    if (this.summary !== undefined) this.alert.textContent = this.anyFieldInvalid() ? this.summary : '';
  }

  private anyFieldInvalid(): boolean {
    return [...this.fields.values()].some((f) => f.row.classList.contains('invalid'));
  }

  /** Shows every error at its field (form-level ones in the summary) and moves focus to the first. */
  showErrors(errors: readonly FieldError[], summary: string): void {
    for (const field of this.fields.values()) field.setError(undefined);
    this.clearAlertActions();
    const loose: string[] = [];
    let first: FieldHandle | undefined;
    for (const e of errors) {
      const field = this.fields.get(e.field);
      if (!field) {
        loose.push(e.message);
        continue;
      }
      field.setError(e.message);
      first ??= field;
    }
    this.summary = loose.length === 0 && errors.length > 0 ? summary : undefined;
    this.alert.textContent = loose.length ? loose.join(' ') : errors.length ? summary : '';
    first?.focus();
  }

  clearErrors(): void {
    for (const field of this.fields.values()) field.setError(undefined);
    this.summary = undefined;
    this.alert.textContent = '';
    this.clearAlertActions();
  }

  /** A button under the form's alert (Refresh after a save whose outcome is unknown); gone with the alert. */
  offerAction(label: string, run: () => void): void {
    const button = h('button', { type: 'button', class: 'secondary' }, label);
    button.addEventListener('click', run);
    this.alertActions.replaceChildren(button);
    this.alertActions.hidden = false;
  }

  private clearAlertActions(): void {
    this.alertActions.replaceChildren();
    this.alertActions.hidden = true;
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }

  /**
   * While a request runs every button but Cancel is disabled, so a second click cannot send the form twice; Cancel
   * stays usable so a save that hangs never locks the form.
   */
  setBusy(busy: boolean, workingLabel: string): void {
    for (const button of this.form.querySelectorAll('button')) button.disabled = busy && button !== this.cancelButton;
    if (busy) {
      this.form.setAttribute('aria-busy', 'true');
      this.setStatus(workingLabel);
    } else {
      this.form.removeAttribute('aria-busy');
      this.setStatus('');
    }
  }

  focusFirst(): void {
    const first = this.form.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])');
    first?.focus();
  }
}
