// The page skeleton and its CSP: vscode-free, so tests and the benchmark serve the same page the panels do.
import { randomBytes } from 'node:crypto';
import type { ViewKind } from './protocol';

export interface PageParts {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  view: ViewKind;
  /** A generic title (never a user's or group's name): the page carries no directory data. */
  title: string;
  lang: string;
}

/** 128 random bits per render, as CSP asks of a nonce. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
    // The forms are submitted by script, never by the browser; and no <base> may redirect relative URLs.
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The page skeleton. Data arrives later through `postMessage` and is rendered as text by the script. */
export function renderPage(p: PageParts): string {
  return `<!DOCTYPE html>
<html lang="${attr(p.lang)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>${attr(p.title)}</title>
</head>
<body data-view="${attr(p.view)}">
<main id="app" aria-busy="true"></main>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}

