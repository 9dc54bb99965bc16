/** Where desired-state files and plan snapshots live, built with `vscode-uri` so that this code stays vscode-free. */
import { URI, Utils } from 'vscode-uri';
import type { Group } from '../core';
import { desiredStateFileName } from './desiredState';

/** The file "Export as Desired-State File" proposes in a workspace folder. */
export function exportTarget(folder: URI, group: Pick<Group, 'id' | 'displayName'>): URI {
  return Utils.joinPath(folder, desiredStateFileName(group));
}

/**
 * The current membership in canonical form, the left side of a Plan's diff: in the extension's storage, one per
 * group, named so that it is not itself taken for a desired-state file.
 */
export function currentStateUri(storage: URI, groupId: string): URI {
  return Utils.joinPath(storage, 'plans', `${encodeURIComponent(groupId.toLowerCase())}.current.jsonc`);
}

export { URI };
