import * as vscode from 'vscode';
import { checkUserChanges, isGuid, type User } from '../core';
import { describeChanges } from './changeLines';
import { nameUser } from './directoryNames';
import type { StringSchema } from './inputSchema';
import { bold } from './markdown';
import { nameOf, plainText } from '../shared/text';
import { failure, okReply } from './toolReply';
import { userKeyProblem, userKeySchema } from './toolInputs';
import type { LmToolDefinition } from './toolTypes';

type UserChanges = Record<string, string | boolean | string[]>;

interface Input {
  userId: string;
  changes: UserChanges;
}

const text = (maxLength: number, description: string): StringSchema => ({ type: 'string', minLength: 1, maxLength, description });

export const updateUserTool: LmToolDefinition<Input> = {
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
    const user = await nameUser(env, input.userId);
    const lines = describeChanges(input.changes, user.found);
    const message = [vscode.l10n.t('Update user {0}: {1}', bold(user.label), lines.changes)];
    if (lines.before) message.push('', lines.before);
    message.push('', `- ${vscode.l10n.t('User: {0}', bold(user.found?.userPrincipalName ?? input.userId))}`);
    if (input.changes.accountEnabled === false) message.push(`- ${vscode.l10n.t('The user will no longer be able to sign in.')}`);
    return {
      invocationMessage: vscode.l10n.t('Updating the user "{0}"', plainText(user.label)),
      confirmationMessages: { title: vscode.l10n.t('Update the user?'), message: new vscode.MarkdownString(message.join('\n')) },
    };
  },
  async run(env, input) {
    // The change event names users by object id (the views key on it); a UPN is looked up first.
    let userId = input.userId.toLowerCase();
    let label = input.userId;
    const user = await env.graph.getProfile(input.userId, { signal: env.signal });
    if (user.success) {
      userId = user.data.id.toLowerCase();
      label = nameOf(user.data);
    } else if (!isGuid(input.userId)) {
      return failure(vscode.l10n.t('Could not find the user {0}', input.userId), user.error);
    }
    const changes: Partial<User> = { ...input.changes };
    const result = await env.services.writes.updateUser(userId, changes, { signal: env.signal });
    if (!result.success) return failure(vscode.l10n.t('Could not update the user {0}', label), result.error);
    return okReply(vscode.l10n.t('Updated the user {0}: {1}.', label, Object.keys(input.changes).join(', ')), { id: userId, changed: input.changes });
  },
};
