import * as vscode from 'vscode';
import { checkUserKey, ErrorCodes } from '../core';
import { GUID_PATTERN, type InputProblem, type IntegerSchema, type ObjectSchema, type StringSchema } from './inputSchema';
import { plainText } from '../shared/text';
import { errorReply, type ToolReply } from './toolReply';
import { DEFAULT_MAX_ITEMS, MAX_ITEMS_LIMIT, type ToolEnv } from './toolTypes';

/** Schema fragments shared by several tools, so the same parameter reads the same everywhere. */

export function userKeySchema(description: string): StringSchema {
  return { type: 'string', minLength: 1, maxLength: 113, description };
}

export function groupIdSchema(description: string): StringSchema {
  return { type: 'string', pattern: GUID_PATTERN, description };
}

export function maxItemsSchema(noun: string): IntegerSchema {
  return {
    type: 'integer',
    minimum: 1,
    maximum: MAX_ITEMS_LIMIT,
    default: DEFAULT_MAX_ITEMS,
    description: `Most ${noun} to return (default ${DEFAULT_MAX_ITEMS}, at most ${MAX_ITEMS_LIMIT}). The result says when more exist.`,
  };
}

export const OPTIONAL_USER_DESCRIPTION =
  'The user: object id (GUID) or user principal name (e.g. adele@contoso.com). Omit for the signed-in user (not possible when the extension is signed in app-only).';

/** The input of a read tool about one user that defaults to the signed-in user. */
export interface OptionalUserInput {
  userId?: string;
}

/**
 * Schema, check and progress message of a read tool about one optional user, so those tools read alike;
 * `named` words the progress for a user the model named, `mine` for the signed-in user.
 */
export function optionalUserTool(named: (user: string) => string, mine: () => string): {
  inputSchema: ObjectSchema;
  check(input: OptionalUserInput): InputProblem | undefined;
  prepare(env: ToolEnv, input: OptionalUserInput): Promise<vscode.PreparedToolInvocation>;
} {
  return {
    inputSchema: { type: 'object', properties: { userId: userKeySchema(OPTIONAL_USER_DESCRIPTION) }, additionalProperties: false },
    check: (input) => userKeyProblem(input.userId, 'userId'),
    prepare: (_env, input) => Promise.resolve({ invocationMessage: input.userId ? named(plainText(input.userId)) : mine() }),
  };
}

/** A user key is an object id or a UPN; the core's check gives the precise message. */
export function userKeyProblem(value: string | undefined, field: string): InputProblem | undefined {
  if (value === undefined) return undefined;
  const message = checkUserKey(value, field);
  return message ? { field, message } : undefined;
}

/**
 * Tools that default to the signed-in user need a user named when the sign-in is app-only:
 * there is no `/me` then.
 */
export function requireUserWhenAppOnly(env: ToolEnv, userId: string | undefined): ToolReply | undefined {
  if (userId !== undefined || !env.services.auth.account?.appOnly) return undefined;
  const message = vscode.l10n.t('The extension is signed in app-only (no signed-in user), so there is no "me". Ask which user is meant and pass userId (object id or user principal name).');
  return errorReply(message, { code: ErrorCodes.validation, message, field: 'userId' });
}

/** The list size actually used: the requested maxItems or the default. */
export function maxItemsOf(input: { maxItems?: number }): number {
  return input.maxItems ?? DEFAULT_MAX_ITEMS;
}
