import * as vscode from 'vscode';
import type { DirectoryObject, Group } from '../core/types';
import { checkSearchTerm } from '../core/validation';
import type { Services } from '../services';
import { classifyGroup } from '../shared/groupKinds';
import { forWebview } from '../shared/text';
import { groupKindLabel } from '../ui/labels';
import { personRef } from './directoryRefs';
import { wireError } from './formRules';
import { MAX_CANDIDATES, type DirectoryRef, type ExtensionMessage } from './protocol';

const USERS = 20;
const GROUPS = 10;
const OTHERS = 10;

/** What a page may offer besides users: groups, and service principals and devices (security group members). */
export interface CandidateKinds {
  groups: boolean;
  servicePrincipalsAndDevices: boolean;
  exclude: string;
}

/**
 * Search-as-you-type for what a group page may add: users, and groups, service principals and devices where the group
 * takes them as members. Objects
 * already listed are left out. What was offered is remembered, so an add can only name an object the page was shown.
 */
export class CandidateSearch implements vscode.Disposable {
  private running: AbortController | undefined;
  private readonly shown = new Map<string, DirectoryObject>();

  constructor(
    private readonly services: Services,
    private readonly post: (message: ExtensionMessage) => void,
  ) {}

  /** The object offered under this id, if it was. */
  offered(id: string): DirectoryObject | undefined {
    return this.shown.get(id.toLowerCase());
  }

  async run(requestId: number, term: string, kinds: CandidateKinds, listed: { has(id: string): boolean }): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    const problem = checkSearchTerm(term);
    if (problem) {
      this.post({ type: 'searchResult', requestId, users: [], error: { code: 'ValidationError', message: problem, field: 'term' } });
      return;
    }
    const graph = this.services.graph();
    const options = { signal: controller.signal };
    const others = kinds.servicePrincipalsAndDevices;
    const [users, groups, servicePrincipals, devices] = await Promise.all([
      graph.searchUsers(term.trim(), { ...options, maxItems: USERS }),
      kinds.groups ? graph.searchGroups(term.trim(), { ...options, maxItems: GROUPS }) : Promise.resolve(undefined),
      others ? graph.searchMemberObjects('servicePrincipal', term.trim(), { ...options, maxItems: OTHERS }) : Promise.resolve(undefined),
      others ? graph.searchMemberObjects('device', term.trim(), { ...options, maxItems: OTHERS }) : Promise.resolve(undefined),
    ]);
    if (controller.signal.aborted) return;
    this.running = undefined;
    if (!users.success) {
      this.post({ type: 'searchResult', requestId, users: [], error: wireError(users.error, []) });
      return;
    }
    const found: DirectoryObject[] = users.data.map((u) => ({ ...u, '@odata.type': '#microsoft.graph.user' }));
    // Graph nests no Microsoft 365 group in another group, and no group in itself (group-post-members).
    if (groups?.success) {
      for (const g of groups.data) {
        if (g.id.toLowerCase() !== kinds.exclude.toLowerCase() && classifyGroup(g).kind !== 'microsoft365') found.push({ ...g, '@odata.type': '#microsoft.graph.group' });
      }
    }
    // Service principals and devices are extras: a token that may not read them still finds users and groups; the
    // refusal goes to the log.
    for (const more of [servicePrincipals, devices]) {
      if (more?.success) found.push(...more.data);
      else if (more) this.services.log.warn(`Group page: searching service principals or devices failed: ${more.error.code}: ${more.error.message}`);
    }
    const fresh = found.filter((o) => !listed.has(o.id)).slice(0, MAX_CANDIDATES);
    for (const o of fresh) this.shown.set(o.id.toLowerCase(), o);
    this.post({ type: 'searchResult', requestId, users: fresh.map(candidateRef) });
  }

  dispose(): void {
    this.running?.abort();
  }
}

/** A candidate row: a group says it is one (and of which kind) before its mail; a service principal or device says which. */
function candidateRef(o: DirectoryObject): DirectoryRef {
  const ref = personRef(o);
  if (o['@odata.type'] === '#microsoft.graph.servicePrincipal') return { ...ref, detail: forWebview(vscode.l10n.t('Service principal · app {0}', typeof o.appId === 'string' ? o.appId : '')) };
  if (o['@odata.type'] === '#microsoft.graph.device') return { ...ref, detail: forWebview(vscode.l10n.t('Device · {0}', typeof o.deviceId === 'string' ? o.deviceId : '')) };
  if (o['@odata.type'] !== '#microsoft.graph.group') return ref;
  const kind = groupKindLabel(classifyGroup(o as Group));
  const mail = typeof o.mail === 'string' ? o.mail : '';
  return { ...ref, detail: forWebview(mail ? vscode.l10n.t('Group ({0}) · {1}', kind, mail) : vscode.l10n.t('Group ({0})', kind)) };
}
