import { DirectoryChanges } from '../../src/changes';
import { DirectoryWrites } from '../../src/directoryWrites';
import { confirmProductionWrite, productionTarget } from '../../src/productionGuard';
import { MemoryJournal } from './memoryJournal';
import { Settings } from '../../src/settings';
import { IdentityTracker } from '../../src/signedInIdentity';
import { GraphClient, type GraphClientOptions } from '../../src/core';
import type { SignedInAccount } from '../../src/auth/types';
import type { Auth, Services } from '../../src/services';
import * as vscode from './vscodeFake';
import type { Emulator } from '../emulator';

export const ALL_DELEGATED = ['User.Read', 'User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Directory.ReadWrite.All'];

/** A signed-in `Auth` double: the real sign-in code is tested on its own. */
export class FakeAuth implements Auth {
  private readonly emitter = new vscode.EventEmitter<SignedInAccount | undefined>();
  readonly onDidChangeAccount = this.emitter.event;
  secretSet = 0;
  constructor(public account: SignedInAccount | undefined) {}
  signIn(): Promise<SignedInAccount | undefined> {
    this.account ??= { method: 'vscode', label: 'admin', appOnly: false };
    this.emitter.fire(this.account);
    return Promise.resolve(this.account);
  }
  trySilentSignIn(): Promise<SignedInAccount | undefined> {
    return Promise.resolve(this.account);
  }
  signOut(): Promise<void> {
    this.account = undefined;
    this.emitter.fire(undefined);
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    this.account = undefined;
    this.emitter.fire(undefined);
    return Promise.resolve();
  }
  setClientSecret(): Promise<boolean> {
    this.secretSet++;
    return Promise.resolve(true);
  }
  clearClientSecret(): Promise<void> {
    return Promise.resolve();
  }
}

/** Services backed by a real GraphClient against the emulator, signed in as the emulator's admin. */
/** The services every test builds from a Graph client: the real write path and settings over the fake editor. */
export function servicesWith(graph: () => GraphClient, auth: Services['auth'], log: ReturnType<typeof vscode.window.createOutputChannel>): Services & { changes: DirectoryChanges; journal: MemoryJournal } {
  const changes = new DirectoryChanges();
  const journal = new MemoryJournal();
  const settings = new Settings(log);
  const identity = new IdentityTracker(auth, graph, log);
  return {
    auth,
    identity,
    graph,
    // As `activate` builds it: read-only mode stops every write here too, and a production profile asks once more.
    // …and every write is journaled, as there.
    writes: new DirectoryWrites(graph, changes, log, () => settings.readOnly, () => productionTarget(settings, identity.identity), confirmProductionWrite, {
      sink: journal,
      account: () => auth.account,
    }),
    journal,
    changes,
    settings,
    log,
    extensionUri: vscode.Uri.file('/ext'),
  };
}

export function emulatorServices(emu: Emulator, options: Partial<GraphClientOptions> = {}): Services & { auth: FakeAuth; client: GraphClient; changes: DirectoryChanges; journal: MemoryJournal } {
  const client = new GraphClient({
    baseUrl: emu.graphUrl,
    getAccessToken: () => Promise.resolve(emu.issueToken({ kind: 'delegated', scopes: ALL_DELEGATED })),
    ...options,
  });
  const log = vscode.window.createOutputChannel('test', { log: true });
  const auth = new FakeAuth({ method: 'vscode', label: 'admin', appOnly: false, userId: emu.signedInUserId });
  return { ...servicesWith(() => client, auth, log), auth, client };
}
