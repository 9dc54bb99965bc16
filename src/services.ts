import type * as vscode from 'vscode';
import type { LocalDirectoryAccess } from './cache/localDirectory';
import type { DirectoryChange } from './changes';
import type { DirectoryWrites } from './directoryWrites';
import type { Settings } from './settings';
import type { GraphClient } from './core';
import type { SignedInAccount } from './auth/types';
import type { SignedInIdentity } from './signedInIdentity';

/** What the auth layer offers the rest of the extension. Implemented by `SignInManager` in src/auth. */
export interface Auth {
  readonly account: SignedInAccount | undefined;
  readonly onDidChangeAccount: vscode.Event<SignedInAccount | undefined>;
  /** Interactive sign-in with the configured method; undefined when the user cancelled. */
  signIn(): Promise<SignedInAccount | undefined>;
  /** Silent sign-in from cached state; never shows UI. */
  trySilentSignIn(): Promise<SignedInAccount | undefined>;
  /** Forgets the sign-in: the account and its token cache. */
  signOut(): Promise<void>;
  /** Lets go of the account but keeps its token cache (switching profiles): signing in again with it is silent. */
  disconnect(): Promise<void>;
  /** Asks for the app registration's client secret (password box) and keeps it in SecretStorage. */
  setClientSecret(): Promise<boolean>;
  clearClientSecret(): Promise<void>;
}

/** Who is signed in to which tenant, by name (`IdentityTracker`): the tenant is read once per sign-in. */
export interface Identity {
  readonly identity: SignedInIdentity | undefined;
  readonly onDidChange: vscode.Event<SignedInIdentity | undefined>;
  /** The identity once its tenant's name has been read or given up on, waiting at most `maxWaitMs`. */
  settled(maxWaitMs?: number): Promise<SignedInIdentity | undefined>;
}

/** The collaborators every VS Code-facing part receives by parameter (no module singletons). */
export interface Services {
  readonly auth: Auth;
  readonly identity: Identity;
  /** A Graph client for the configured cloud, bound to the current sign-in. For reads: writes go through `writes`. */
  graph(): GraphClient;
  /** The one write path: every directory change from every surface, announced to the views. */
  readonly writes: DirectoryWrites;
  /** What the extension changed, for views to apply. Only `writes` fires it. */
  readonly changes: { readonly onDidChange: vscode.Event<DirectoryChange> };
  readonly settings: Settings;
  /** The signed-in tenant's cached directory, for searching without Graph; absent where none is kept (tests). */
  readonly localDirectory?: LocalDirectoryAccess;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
}
