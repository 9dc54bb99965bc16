import { checkUserEdit, userChanges } from '../webviews/formRules';
import { isUserFormValues, USER_TEXT_FIELDS, type UserFormState, type UserFormValues, type UserTextField } from '../webviews/protocol';
import { h } from './dom';
import { clearDraft, loadDraft, saveDraft } from './draft';
import { checkboxField, FormShell, textField, type ControlField } from './formKit';
import { FormSession, mountPlaceholder, restoreFocus, type MountContext, type MountedView } from './view';

/** Input limits shown to the user; the checks behind them are the core's. */
const MAX_LENGTH: Partial<Record<UserTextField, number>> = {
  displayName: 256, givenName: 64, surname: 64, jobTitle: 128, department: 64, companyName: 64, officeLocation: 128,
  city: 128, country: 128, mobilePhone: 64, businessPhone: 64, usageLocation: 2,
};
const PHONES: ReadonlySet<UserTextField> = new Set(['mobilePhone', 'businessPhone']);

/** Edit a user's profile properties; only what changed is sent. */
export function mountUserForm(state: UserFormState, ctx: MountContext): MountedView {
  const s = state.strings;
  if (state.loading || state.error) return mountPlaceholder(ctx, s, state.error);
  const original = state.values;
  const baseline = JSON.stringify(original);
  const start = loadDraft(ctx.channel, 'userForm', baseline, isUserFormValues)?.values ?? original;
  const touched = new Set<string>();

  const shell = new FormShell({
    heading: s.editUser,
    subheading: state.subject,
    submitLabel: s.save,
    cancelLabel: s.cancel,
    onSubmit: () => submit(),
    onCancel: () => session.cancel(),
  });
  const session = new FormSession(ctx, shell, s, () => clearDraft(ctx.channel), () => ctx.channel.send({ type: 'action', action: 'refresh' }));

  const inputs = new Map<UserTextField, ControlField<HTMLInputElement>>();
  for (const field of USER_TEXT_FIELDS) {
    const input = textField({
      name: field,
      label: s[field],
      value: start[field],
      type: PHONES.has(field) ? 'tel' : 'text',
      ...(field === 'displayName' ? { required: s.required } : {}),
      ...(field === 'usageLocation' ? { hint: s.usageLocationHint } : {}),
      ...(MAX_LENGTH[field] !== undefined ? { maxLength: MAX_LENGTH[field] } : {}),
    });
    input.control.addEventListener('input', () => changed(field));
    inputs.set(field, input);
    shell.add(field, input);
  }
  const enabled = checkboxField({ name: 'accountEnabled', label: s.accountEnabled, checked: start.accountEnabled });
  enabled.control.addEventListener('change', () => changed('accountEnabled'));
  shell.add('accountEnabled', enabled);
  shell.fieldsBox.classList.add('grid');
  if (state.locked) {
    // Fields mastered elsewhere stay visible (the admin sees the values) but cannot be changed, and the page says why.
    for (const field of state.locked.fields) {
      const control = field === 'accountEnabled' ? enabled.control : inputs.get(field)?.control;
      if (control) control.disabled = true;
    }
    shell.fieldsBox.before(h('p', { class: 'notice', role: 'note' }, state.locked.reason));
  }

  function values(): UserFormValues {
    const text = (f: UserTextField): string => inputs.get(f)?.control.value ?? '';
    return {
      displayName: text('displayName'), givenName: text('givenName'), surname: text('surname'), jobTitle: text('jobTitle'),
      department: text('department'), officeLocation: text('officeLocation'), mobilePhone: text('mobilePhone'),
      businessPhone: text('businessPhone'), usageLocation: text('usageLocation'), city: text('city'), country: text('country'),
      companyName: text('companyName'), accountEnabled: enabled.control.checked,
    };
  }

  function validate(all: boolean): ReturnType<typeof checkUserEdit> {
    const errors = checkUserEdit(userChanges(original, values()), s);
    for (const field of [...USER_TEXT_FIELDS, 'accountEnabled']) {
      const message = errors.find((e) => e.field === field)?.message;
      shell.setFieldError(field, all || touched.has(field) ? message : undefined);
    }
    return errors;
  }

  function changed(field: string): void {
    touched.add(field);
    validate(false);
    saveDraft(ctx.channel, { view: 'userForm', baseline, values: values(), owners: [], members: [] });
  }

  function submit(): void {
    // After a submit every field checks live, so a fixed field clears its error and a broken one keeps it.
    for (const field of [...USER_TEXT_FIELDS, 'accountEnabled']) touched.add(field);
    const errors = validate(true);
    if (errors.length) return session.showErrors(errors);
    const v = values();
    if (Object.keys(userChanges(original, v)).length === 0) return session.showErrors([{ field: '', message: s.noChanges }]);
    session.submit((requestId) => ({ type: 'submit', requestId, form: 'editUser', values: v }));
  }

  ctx.root.append(shell.form);
  restoreFocus(ctx, () => shell.focusFirst());
  return {
    receive: (reply) => void session.receive(reply),
    pendingRequest: () => session.pendingRequest(),
    dispose: () => session.dispose(),
  };
}
