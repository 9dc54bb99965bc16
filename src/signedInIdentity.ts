import * as vscode from 'vscode';
import type { SignedInAccount } from './auth/types';
import { signedInLine } from './identityNames';
import type { GraphClient, Organization } from './core';
import type { Identity } from './services';
import { describeError } from './ui/feedback';

/** Who is signed in, and to which tenant by name when Graph told us. */
export interface SignedInIdentity {
  account: SignedInAccount;
  /** Unset until read, or when it could not be read (then the token's tenant id stands in). */
  organization?: Organization;
}

/** How long the sign-in toast waits for the tenant's name before it names the tenant by what the token says. */
const TOAST_WAIT_MS = 3000;

/**
 * Reads the tenant's organization once per sign-in (not per render) and keeps it with the account. The read never
 * blocks or fails the sign-in: without it (no permission, Graph unreachable) the token's tenant id is shown, and the
 * reason goes to the log at info level.
 */
export class IdentityTracker implements Identity, vscode.Disposable {
  private current: SignedInIdentity | undefined;
  private pending: Promise<void> = Promise.resolve();
  private readonly emitter = new vscode.EventEmitter<SignedInIdentity | undefined>();
  /** Fires when the account changes and again when its tenant's name arrives. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    auth: { readonly account: SignedInAccount | undefined; readonly onDidChangeAccount: vscode.Event<SignedInAccount | undefined> },
    private readonly graph: () => Pick<GraphClient, 'getOrganization'>,
    private readonly log: Pick<vscode.LogOutputChannel, 'info'>,
  ) {
    this.subscription = auth.onDidChangeAccount((account) => this.accountChanged(account));
    // The extension builds the tracker before anyone signs in; an account already there is named by its token alone.
    if (auth.account) this.current = { account: auth.account };
  }

  get identity(): SignedInIdentity | undefined {
    return this.current;
  }

  /** The identity once its tenant's name has been read or given up on, waiting at most `maxWaitMs`. */
  async settled(maxWaitMs = TOAST_WAIT_MS): Promise<SignedInIdentity | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
    });
    try {
      await Promise.race([this.pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.current;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private accountChanged(account: SignedInAccount | undefined): void {
    const previous = this.current;
    if (!account) {
      this.current = undefined;
      this.pending = Promise.resolve();
      this.emitter.fire(undefined);
      return;
    }
    // The same sign-in seen again (a refreshed token): its tenant is already known or being read.
    if (previous && sameSignIn(previous.account, account)) {
      this.current = { ...previous, account };
      this.emitter.fire(this.current);
      return;
    }
    const identity: SignedInIdentity = { account };
    this.current = identity;
    this.emitter.fire(identity);
    this.pending = this.readOrganization(identity);
  }

  private async readOrganization(identity: SignedInIdentity): Promise<void> {
    // A Result, never a rejection (the core's contract).
    const result = await this.graph().getOrganization();
    // Signed out or switched meanwhile: the answer belongs to a sign-in that is gone.
    const now = this.current;
    if (!now || !sameSignIn(now.account, identity.account)) return;
    const settled: SignedInIdentity = result.success ? { ...now, organization: result.data } : now;
    if (!result.success) this.log.info(`The tenant's name could not be read, so its id is shown instead: ${describeError(result.error)}`);
    this.current = settled;
    this.log.info(signedInLine(settled));
    this.emitter.fire(settled);
  }
}

/** One sign-in: same method, user (or app), tenant and name. */
function sameSignIn(a: SignedInAccount, b: SignedInAccount): boolean {
  return a.method === b.method && a.label === b.label && a.userId === b.userId && a.tenantId === b.tenantId && a.appOnly === b.appOnly;
}

