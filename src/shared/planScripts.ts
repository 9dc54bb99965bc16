/**
 * A membership plan as a script to run elsewhere: Microsoft Graph REST (an `.http` file for REST clients), Microsoft
 * Graph PowerShell (`Invoke-MgGraphRequest`) or Azure CLI (`az rest`, bash). The same requests the extension sends:
 * member adds bound 20 per PATCH, owners added one `POST …/owners/$ref` each, removals `DELETE …/{id}/$ref`. A script
 * never carries a token: the REST file names a `{{token}}` variable, the others sign in with their own tools.
 */
import type { DirectoryObject, MembershipPlan } from '../core';
import { nameOf } from './text';

/** Graph binds at most 20 members in one PATCH (learn.microsoft.com/graph/api/group-update). */
const BIND_CHUNK = 20;

export type ScriptKind = 'http' | 'powershell' | 'azcli';

export interface ScriptStep {
  method: 'PATCH' | 'POST' | 'DELETE';
  /** Absolute URL. */
  url: string;
  body?: Record<string, unknown>;
  /** One line saying what the step does, with names (already plain text). */
  comment: string;
}

/** The requests that carry out `plan`, in the order the extension sends them (adds before removals). */
export function planSteps(plan: MembershipPlan, baseUrl: string): ScriptStep[] {
  const base = baseUrl.replace(/\/+$/, '');
  const group = `${base}/groups/${encodeURIComponent(plan.groupId)}`;
  const bind = (o: DirectoryObject): string => `${base}/directoryObjects/${encodeURIComponent(o.id)}`;
  const names = (objects: readonly DirectoryObject[]): string => objects.map((o) => nameOf(o, 80)).join(', ');
  const steps: ScriptStep[] = [];
  for (let i = 0; i < plan.add.members.length; i += BIND_CHUNK) {
    const chunk = plan.add.members.slice(i, i + BIND_CHUNK);
    steps.push({ method: 'PATCH', url: group, body: { 'members@odata.bind': chunk.map(bind) }, comment: `Add members: ${names(chunk)}` });
  }
  for (const o of plan.add.owners) steps.push({ method: 'POST', url: `${group}/owners/$ref`, body: { '@odata.id': bind(o) }, comment: `Add owner: ${names([o])}` });
  for (const o of plan.remove.members) steps.push({ method: 'DELETE', url: `${group}/members/${encodeURIComponent(o.id)}/$ref`, comment: `Remove member: ${names([o])}` });
  for (const o of plan.remove.owners) steps.push({ method: 'DELETE', url: `${group}/owners/${encodeURIComponent(o.id)}/$ref`, comment: `Remove owner: ${names([o])}` });
  return steps;
}

export function planScript(kind: ScriptKind, plan: MembershipPlan, baseUrl: string): string {
  const steps = planSteps(plan, baseUrl);
  if (kind === 'http') return httpScript(steps);
  if (kind === 'powershell') return powerShellScript(steps);
  return azCliScript(steps);
}

/** REST Client / `.http` format: requests separated by `###`; the token is a variable the user sets. */
function httpScript(steps: readonly ScriptStep[]): string {
  const head = ['# Set @token to an access token with GroupMember.ReadWrite.All (never stored in this file).', '@token = ', ''];
  const blocks = steps.map((s) => {
    const lines = [`# ${s.comment}`, `${s.method} ${s.url}`, 'Authorization: Bearer {{token}}'];
    if (s.body !== undefined) lines.push('Content-Type: application/json', '', JSON.stringify(s.body, null, 2));
    return lines.join('\n');
  });
  return `${[...head, blocks.join('\n\n###\n\n')].join('\n')}\n`;
}

function powerShellScript(steps: readonly ScriptStep[]): string {
  const lines = ['# Microsoft Graph PowerShell. Sign in first: Connect-MgGraph -Scopes GroupMember.ReadWrite.All', '$ErrorActionPreference = \'Stop\''];
  for (const s of steps) {
    lines.push(`# ${s.comment}`);
    const body = s.body !== undefined ? ` -Body ${powerShellQuote(JSON.stringify(s.body))} -ContentType 'application/json'` : '';
    lines.push(`Invoke-MgGraphRequest -Method ${s.method} -Uri ${powerShellQuote(s.url)}${body}`);
  }
  return `${lines.join('\n')}\n`;
}

function azCliScript(steps: readonly ScriptStep[]): string {
  const lines = ['#!/usr/bin/env bash', '# Azure CLI. Sign in first: az login', 'set -euo pipefail'];
  for (const s of steps) {
    lines.push(`# ${s.comment}`);
    const body = s.body !== undefined ? ` --headers ${bashQuote('Content-Type=application/json')} --body ${bashQuote(JSON.stringify(s.body))}` : '';
    lines.push(`az rest --method ${s.method.toLowerCase()} --url ${bashQuote(s.url)}${body}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A PowerShell verbatim string: nothing inside is expanded, and a quote is doubled. PowerShell also reads the
 * typographic single quotes (U+2018–U+201B) as quotes, so they are doubled too.
 */
export function powerShellQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201A\u201B]/g, '$&$&')}'`;
}

/** A bash single-quoted word: nothing inside is expanded; a quote closes, is escaped, and reopens. */
export function bashQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
