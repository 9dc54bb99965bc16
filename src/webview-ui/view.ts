import type { ExtensionMessage, FieldError, UiStrings, WebviewMessage, WireError } from '../webviews/protocol';
import type { Channel } from './channel';
import { h } from './dom';
import type { FormShell } from './formKit';

export type Reply = Exclude<ExtensionMessage, { type: 'init' }>;
/** An answer to a save: what forms and the group page wait for. */
export type SaveAnswer = Extract<Reply, { type: 'result' | 'validation' | 'notSaved' }>;

export function isSaveAnswer(reply: Reply): reply is SaveAnswer {
  return reply.type === 'result' || reply.type === 'validation' || reply.type === 'notSaved';
}

/** What the entry point knows of the view on screen. */
export interface MountedView {
  receive(reply: Reply): void;
  /** The request still awaiting an answer, handed to the view that replaces this one. */
  pendingRequest(): number | undefined;
  dispose(): void;
}

export interface MountContext {
  root: HTMLElement;
  channel: Channel;
  pending: number | undefined;
  /** The id of the element that had focus before the view was rebuilt, to put it back. */
  focusedId: string | undefined;
}

/** Graph's answers keep their code and status (what support asks for); the extension's own failures are already in words. */
export function describeError(error: WireError): string {
  return error.status !== undefined ? `${error.message} (${error.code}, ${error.status})` : error.message;
}

/** Loading text or a load error, with a way out. */
export function mountPlaceholder(ctx: MountContext, strings: UiStrings, error: WireError | undefined, onRetry?: () => void): MountedView {
  const body = error
    ? h('div', { class: 'form-alert', role: 'alert' }, describeError(error))
    : h('p', { class: 'subtle', role: 'status' }, strings.loading);
  const buttons = h('div', { class: 'actions' });
  if (error) {
    // A view can be read again; a form that could not load can only be closed.
    const button = h('button', { type: 'button', class: 'primary' }, onRetry ? strings.refresh : strings.cancel);
    button.addEventListener('click', onRetry ?? (() => ctx.channel.send({ type: 'cancel' })));
    buttons.append(button);
  }
  ctx.root.append(body, buttons);
  return { receive: () => undefined, pendingRequest: () => ctx.pending, dispose: () => undefined };
}

/**
 * A form's request cycle: one request at a time with Save disabled meanwhile, answers matched by request id.
 * Cancel (or Escape) stops a running save and keeps the form; with nothing running it closes the form.
 */
export class FormSession {
  private pending: number | undefined;
  private stopping = false;
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && !e.defaultPrevented) this.cancel();
  };

  constructor(
    private readonly ctx: MountContext,
    private readonly shell: FormShell,
    private readonly strings: UiStrings,
    private readonly onSaved: () => void,
    /** Reads the object again; offered when a save's outcome is unknown. Create forms have nothing to read. */
    private readonly onRefresh?: () => void,
  ) {
    this.pending = ctx.pending;
    if (this.pending !== undefined) shell.setBusy(true, strings.saving);
    document.addEventListener('keydown', this.onKey);
  }

  /** Stops the running save (the answer then says whether it may have been applied), else closes the form. */
  cancel(): void {
    if (this.pending === undefined) {
      this.ctx.channel.send({ type: 'cancel' });
      return;
    }
    if (this.stopping) return;
    this.stopping = true;
    this.ctx.channel.send({ type: 'cancelRequest', requestId: this.pending });
    this.shell.setStatus(this.strings.stopping);
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  submit(build: (requestId: number) => WebviewMessage): void {
    if (this.pending !== undefined) return;
    this.pending = this.ctx.channel.nextRequestId();
    this.stopping = false;
    this.shell.clearErrors();
    this.shell.setBusy(true, this.strings.saving);
    this.ctx.channel.send(build(this.pending));
  }

  showErrors(errors: readonly FieldError[]): void {
    this.shell.showErrors(errors, this.strings.fixErrors);
  }

  /** True when the reply answered this form's request. */
  receive(reply: Reply): boolean {
    if (!isSaveAnswer(reply) || reply.requestId !== this.pending) return false;
    this.pending = undefined;
    this.stopping = false;
    this.shell.setBusy(false, this.strings.saving);
    if (reply.type === 'validation') {
      this.showErrors(reply.errors);
    } else if (reply.type === 'notSaved') {
      this.shell.setStatus(reply.message);
    } else if (reply.ok) {
      this.shell.setStatus(reply.message);
      this.onSaved();
    } else {
      this.showErrors([{ field: reply.error.field ?? '', message: describeError(reply.error) }]);
      if (reply.error.outcomeUnknown && this.onRefresh) this.shell.offerAction(this.strings.refresh, this.onRefresh);
    }
    return true;
  }

  pendingRequest(): number | undefined {
    return this.pending;
  }

  dispose(): void {
    document.removeEventListener('keydown', this.onKey);
  }
}

/** Focus after (re)building a view: where it was, else the first field. */
export function restoreFocus(ctx: MountContext, fallback: () => void): void {
  const again = ctx.focusedId ? document.getElementById(ctx.focusedId) : null;
  if (again) again.focus();
  else fallback();
}
