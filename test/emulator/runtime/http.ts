/** A complete HTTP answer produced by the identity and control handlers. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

export function htmlAnswer(status: number, html: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: html };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
