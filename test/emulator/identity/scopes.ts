import { GRAPH_RESOURCE, GRAPH_APP_ID, OIDC_SCOPES } from './apps.js';

/**
 * Splits an OAuth `scope` parameter into Graph permissions (short names, with or
 * without the resource prefix), OpenID Connect scopes, and any other resource.
 */
export interface ParsedScopes {
  all: string[];
  graph: string[];
  oidc: string[];
  foreignResource?: string;
}

export function parseScopes(raw: string): ParsedScopes {
  const out: ParsedScopes = { all: [], graph: [], oidc: [] };
  for (const s of raw.split(/\s+/).filter(Boolean)) {
    out.all.push(s);
    if (OIDC_SCOPES.has(s.toLowerCase())) {
      out.oidc.push(s.toLowerCase());
      continue;
    }
    const lower = s.toLowerCase();
    const prefix = [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`].find((p) => lower.startsWith(p));
    if (prefix) {
      out.graph.push(s.slice(prefix.length));
      continue;
    }
    const slash = s.lastIndexOf('/');
    if (slash > 0) {
      out.foreignResource ??= s.slice(0, slash);
      continue;
    }
    out.graph.push(s);
  }
  return out;
}

/** Requested ∩ consented (canonical spelling); `.default` means every consented permission. */
export function grantScopes(requested: readonly string[], consented: readonly string[]): string[] {
  if (requested.some((r) => r.toLowerCase() === '.default')) return [...consented];
  const granted: string[] = [];
  for (const r of requested) {
    const match = consented.find((c) => c.toLowerCase() === r.toLowerCase());
    if (match && !granted.includes(match)) granted.push(match);
  }
  return granted;
}
