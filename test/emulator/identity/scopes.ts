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
