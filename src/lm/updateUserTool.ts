import * as vscode from 'vscode';
import { checkUserChanges, type Result, type User } from '../core';
import { forMarkdown, nameOf, plainText } from '../shared/text';
import { changeLines } from './changeLines';
import { kindLabel, objectText, unreadLine } from './directoryNames';
import type { StringSchema } from './inputSchema';
import { refusalHeadline } from './refusals';
import { failure, okReply } from './toolReply';
import { userKeyProblem, userKeySchema } from './toolInputs';
import type { ToolEnv, WriteToolDefinition } from './toolTypes';

type UserChanges = Record<string, string | boolean | string[]>;

interface Input {
  userId: string;
  changes: UserChanges;
}

const text = (maxLength: number, description: string): StringSchema => ({ type: 'string', minLength: 1, maxLength, description });

export const updateUserTool: WriteToolDefinition<Input> = {
  write: true,
  inputSchema: {
    type: 'object',
    properties: {
      userId: userKeySchema('The user to change: object id (GUID) or user principal name (e.g. adele@contoso.com).'),
      changes: {
        type: 'object',
        description: 'The profile properties to set; only those given change. Values cannot be cleared with this tool.',
        properties: {
          displayName: text(256, 'Name shown in the directory.'),
          givenName: text(64, 'First name.'),
          surname: text(64, 'Last name.'),
          jobTitle: text(128, 'Job title.'),
          department: text(64, 'Department.'),
          companyName: text(64, 'Company name.'),
          officeLocation: text(128, 'Office location.'),
          employeeId: text(16, 'Employee identifier.'),
          employeeType: text(64, 'Employee type, e.g. Employee or Contractor.'),
          mobilePhone: text(64, 'Mobile phone number.'),
          businessPhones: { type: 'array', items: text(64, 'A business phone number.'), maxItems: 1, description: 'Business phone; Graph accepts one number.' },
          streetAddress: text(1024, 'Street address.'),
          city: text(128, 'City.'),
          state: text(128, 'State or province.'),
          postalCode: text(40, 'Postal code.'),
          country: text(128, 'Country or region.'),
          usageLocation: { type: 'string', pattern: '^[A-Z]{2}$', description: 'Two-letter country code (ISO 3166-1), e.g. US; needed before licenses can be assigned.' },
          preferredLanguage: text(10, 'Preferred language, e.g. en-US.'),
          accountEnabled: { type: 'boolean', description: 'false blocks the user from signing in; true allows it again.' },
        },
        minProperties: 1,
        additionalProperties: false,
      },
    },
    required: ['userId', 'changes'],
    additionalProperties: false,
  },
  check(input) {
    const problem = userKeyProblem(input.userId, 'userId');
    if (problem) return problem;
    const changes = checkUserChanges(input.changes);
    return changes ? { field: changes.field ? `changes.${changes.field}` : 'changes', message: changes.message } : undefined;
  },
  async prepare(env, input) {
    const title = vscode.l10n.t('Update the user?');
    const read = await readUser(env, input);
    if (!read.success) {
      const refusal = failure(vscode.l10n.t('Could not read the user {0}', input.userId), read.error);
      return { invocationMessage: vscode.l10n.t('Updating the user "{0}"', plainText(input.userId)), title, lines: [refusalHeadline(refusal), '', `- ${unreadLine(kindLabel('user'), input.userId, read.error)}`], refusal };
    }
    const user = { kind: 'user' as const, id: read.data.id, displayName: read.data.displayName ?? null, userPrincipalName: read.data.userPrincipalName ?? null, mail: null };
    const lines = [vscode.l10n.t('Update user {0}:', objectText(user)), '', ...changeLines(input.changes, read.data)];
    if (input.changes.accountEnabled === false) lines.push('', forMarkdown(vscode.l10n.t('The user will no longer be able to sign in.')));
    return { invocationMessage: vscode.l10n.t('Updating the user "{0}"', plainText(nameOf(read.data))), title, lines };
  },
  async run(env, input) {
    // The change event names users by object id (the views key on it); a UPN is looked up first.
    const read = await readUser(env, input);
    if (!read.success) return failure(vscode.l10n.t('Could not read the user {0}', input.userId), read.error);
    const userId = read.data.id.toLowerCase();
    const changes: Partial<User> = { ...input.changes };
    const result = await env.services.writes.updateUser(userId, changes, { signal: env.signal, surface: 'chat', objectName: read.data.displayName ?? undefined, before: read.data });
    if (!result.success) return failure(vscode.l10n.t('Could not update the user {0}', userId), result.error);
    return okReply(vscode.l10n.t('Updated the user {0}: {1}.', userId, Object.keys(input.changes).join(', ')), { id: userId, changed: input.changes });
  },
};

/** The user with the current value of every property the call changes (the "old" side of the confirmation). */
function readUser(env: ToolEnv, input: Input): Promise<Result<User>> {
  return env.graph.getProfile(input.userId, { select: Object.keys(input.changes), signal: env.signal });
}
