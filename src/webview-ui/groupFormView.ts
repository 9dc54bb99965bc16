import { deriveMailNickname } from '../core/validation';
import { checkCreateGroup, checkGroupEdit, checkUnpicked, groupChanges } from '../webviews/formRules';
import { isGroupCreateValues, MAX_MEMBERS, MAX_OWNERS, type FieldError, type GroupCreateValues, type GroupFormState } from '../webviews/protocol';
import { clearDraft, loadDraft, saveDraft } from './draft';
import { FormShell, selectField, textAreaField, textField, type Choice } from './formKit';
import { PeoplePicker } from './peoplePicker';
import { FormSession, mountPlaceholder, restoreFocus, type MountContext, type MountedView, type Reply } from './view';

const FIELDS = ['kind', 'displayName', 'mailNickname', 'description', 'visibility', 'ownerIds', 'memberIds'] as const;

/** Create a group, or edit one: mail nickname derived live from the name, the core's rules checked as one types. */
export function mountGroupForm(state: GroupFormState, ctx: MountContext): MountedView {
  const s = state.strings;
  if (state.loading || state.error) return mountPlaceholder(ctx, s, state.error);
  const create = state.mode === 'create';
  const original = state.values;
  const baseline = JSON.stringify([state.mode, original]);
  const draft = loadDraft(ctx.channel, 'groupForm', baseline, isGroupCreateValues);
  const start = draft?.values ?? original;
  // The nickname follows the name until the user types a nickname of their own.
  let nicknameFollowsName = create && (start.mailNickname === '' || start.mailNickname === deriveMailNickname(start.displayName.trim()));
  const touched = new Set<string>();

  const shell = new FormShell({
    heading: create ? s.newGroup : s.editGroup,
    subheading: create ? undefined : original.displayName,
    submitLabel: create ? s.create : s.save,
    cancelLabel: s.cancel,
    onSubmit: () => submit(),
    onCancel: () => session.cancel(),
  });
  const session = new FormSession(ctx, shell, s, () => clearDraft(ctx.channel), create ? undefined : () => ctx.channel.send({ type: 'action', action: 'refresh' }));

  const kind = selectField({ name: 'kind', label: s.groupType, value: start.kind, choices: [{ value: 'security', label: s.security }, { value: 'microsoft365', label: s.microsoft365 }] });
  kind.control.disabled = !create;
  const name = textField({ name: 'displayName', label: s.groupName, value: start.displayName, required: s.required, maxLength: 256 });
  const nickname = textField({ name: 'mailNickname', label: s.mailNickname, value: start.mailNickname, required: create ? undefined : s.required, maxLength: 64, ...(create ? { hint: s.mailNicknameHint } : {}) });
  const description = textAreaField({ name: 'description', label: s.description, value: start.description, maxLength: 1024 });
  const hiddenLocked = !create && original.visibility === 'HiddenMembership';
  const visibility = selectField({ name: 'visibility', label: s.visibility, value: start.visibility, choices: visibilityChoices(state, s), ...(hiddenLocked ? { hint: s.visibilityLocked } : {}) });
  visibility.control.disabled = hiddenLocked;
  for (const [field, handle] of [['kind', kind], ['displayName', name], ['mailNickname', nickname], ['description', description], ['visibility', visibility]] as const) shell.add(field, handle);

  const pickers: PeoplePicker[] = [];
  const search = (term: string): number => {
    const requestId = ctx.channel.nextRequestId();
    ctx.channel.send({ type: 'searchUsers', requestId, term });
    return requestId;
  };
  if (create) {
    const owners = new PeoplePicker({ name: 'ownerIds', label: s.owners, max: MAX_OWNERS, strings: s, picked: draft?.owners ?? [], search, onChange: () => changed('ownerIds'), onInput: () => validate(false) });
    const members = new PeoplePicker({ name: 'memberIds', label: s.members, max: MAX_MEMBERS, strings: s, picked: draft?.members ?? [], search, onChange: () => changed('memberIds'), onInput: () => validate(false) });
    shell.add('ownerIds', owners);
    shell.add('memberIds', members);
    pickers.push(owners, members);
  }

  function values(): GroupCreateValues {
    const v = visibility.control.value;
    return {
      kind: kind.control.value === 'microsoft365' ? 'microsoft365' : 'security',
      displayName: name.control.value,
      mailNickname: nickname.control.value,
      description: description.control.value,
      visibility: v === 'Public' || v === 'Private' || v === 'HiddenMembership' ? v : '',
      ownerIds: pickers[0]?.ids() ?? [],
      memberIds: pickers[1]?.ids() ?? [],
    };
  }

  function problems(v: GroupCreateValues): FieldError[] {
    if (!create) return checkGroupEdit(groupChanges(original, v), s);
    // Text typed in a picker but not chosen blocks the submit (only the page sees it); it is that field's error.
    const unpicked = pickers.map((p) => checkUnpicked(p.name, p.typed(), s)).filter((e): e is FieldError => e !== undefined);
    return [...checkCreateGroup(v, s).filter((e) => !unpicked.some((u) => u.field === e.field)), ...unpicked];
  }

  /** Live checks: a field shows its problem once it has been touched, or after a submit. */
  function validate(all: boolean): FieldError[] {
    const errors = problems(values());
    for (const field of FIELDS) {
      const message = errors.find((e) => e.field === field)?.message;
      shell.setFieldError(field, all || touched.has(field) ? message : undefined);
    }
    return errors;
  }

  function changed(field: string): void {
    touched.add(field);
    validate(false);
    saveDraft(ctx.channel, { view: 'groupForm', baseline, values: values(), owners: pickers[0]?.people() ?? [], members: pickers[1]?.people() ?? [] });
  }

  function submit(): void {
    // After a submit every field checks live, so a fixed field clears its error and a broken one keeps it.
    for (const field of FIELDS) touched.add(field);
    const errors = validate(true);
    if (errors.length) return session.showErrors(errors);
    const v = values();
    if (create) return session.submit((requestId) => ({ type: 'submit', requestId, form: 'createGroup', values: v }));
    if (Object.keys(groupChanges(original, v)).length === 0) return session.showErrors([{ field: '', message: s.noChanges }]);
    const { displayName, mailNickname, description: text, visibility: seen } = v;
    session.submit((requestId) => ({ type: 'submit', requestId, form: 'editGroup', values: { displayName, mailNickname, description: text, visibility: seen } }));
  }

  function syncVisibility(): void {
    const hidden = [...visibility.control.options].find((o) => o.value === 'HiddenMembership');
    if (!create || !hidden) return;
    hidden.disabled = kind.control.value !== 'microsoft365';
    if (hidden.disabled && visibility.control.value === 'HiddenMembership') visibility.control.value = '';
  }

  name.control.addEventListener('input', () => {
    if (nicknameFollowsName) {
      nickname.control.value = deriveMailNickname(name.control.value.trim());
      touched.add('mailNickname');
    }
    changed('displayName');
  });
  nickname.control.addEventListener('input', () => {
    nicknameFollowsName = create && nickname.control.value === '';
    changed('mailNickname');
  });
  description.control.addEventListener('input', () => changed('description'));
  visibility.control.addEventListener('change', () => changed('visibility'));
  kind.control.addEventListener('change', () => {
    syncVisibility();
    changed('kind');
  });
  syncVisibility();

  ctx.root.append(shell.form);
  restoreFocus(ctx, () => shell.focusFirst());
  return {
    receive(reply: Reply): void {
      if (reply.type === 'searchResult') pickers.some((p) => p.receive(reply));
      else session.receive(reply);
    },
    pendingRequest: () => session.pendingRequest(),
    dispose(): void {
      session.dispose();
      pickers.forEach((p) => p.dispose());
    },
  };
}

function visibilityChoices(state: GroupFormState, s: GroupFormState['strings']): Choice[] {
  const all: Choice[] = [
    { value: '', label: s.visibilityDefault },
    { value: 'Public', label: s.public },
    { value: 'Private', label: s.private },
    { value: 'HiddenMembership', label: s.hiddenMembership },
  ];
  if (state.mode === 'create') return all;
  // An existing group moves only between Public and Private; its current setting stays listed.
  return all.filter((c) => c.value === 'Public' || c.value === 'Private' || c.value === state.values.visibility);
}
