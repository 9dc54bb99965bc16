import { ErrorCodes, type GraphError, type Result } from './types';

export function ok<T>(data: T): Result<T> {
  return { success: true, data };
}

export function fail<T = never>(error: GraphError): Result<T> {
  return { success: false, error };
}

export function validationError<T = never>(message: string, field?: string): Result<T> {
  return fail({ code: ErrorCodes.validation, message, ...(field ? { field } : {}) });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A write whose request reached Graph but whose answer never came back (lost, timed out, or cancelled after sending):
 * the change may have been applied, and the caller must not report it as not done.
 */
export function outcomeUnknown(error: GraphError): GraphError {
  return { ...error, outcomeUnknown: true, message: `${error.message} The change may have been applied: the request reached Microsoft Graph but no answer came back.` };
}

/** Reads Graph's `{ error: { code, message, innerError: { 'request-id' } } }`, tolerating other shapes. */
export function graphErrorFromBody(status: number, body: unknown, headerRequestId: string | undefined, statusText: string): GraphError {
  let code = `HTTP${status}`;
  let message = statusText || `Graph answered with status ${status}.`;
  let requestId = headerRequestId;
  if (isRecord(body) && isRecord(body.error)) {
    const e = body.error;
    if (typeof e.code === 'string' && e.code) code = e.code;
    if (typeof e.message === 'string' && e.message) message = e.message;
    const inner = isRecord(e.innerError) ? e.innerError : isRecord(e.innererror) ? e.innererror : undefined;
    if (inner && typeof inner['request-id'] === 'string') requestId = inner['request-id'];
  } else if (typeof body === 'string' && body.trim() !== '' && body.length < 500) {
    message = body.trim();
  }
  return { code, message, status, ...(requestId ? { requestId } : {}) };
}

export function describeCause(error: unknown): { code: string | undefined; message: string } {
  const cause = isRecord(error) && 'cause' in error ? (error as { cause?: unknown }).cause : undefined;
  const source = cause ?? error;
  const code = isRecord(source) && typeof source.code === 'string' ? source.code : undefined;
  const message = source instanceof Error ? source.message : String(source);
  return { code, message };
}

/**
 * Graph's answer to a link write (add a member or owner, `…@odata.bind`) that references a group or object created a
 * moment ago and not yet replicated: 400 Request_BadRequest "The source resource object or one of the objects being
 * referenced don't exist." — "Retry after a brief delay" (learn.microsoft.com/graph/api/group-post-members, Note;
 * group-update, Errors). The 400 also means other refusals, so the message tells this one apart (the beta page words
 * it "do not exist").
 */
export function isNotYetReplicated(error: { code: string; status?: number; message: string }): boolean {
  return error.status === 400 && error.code === 'Request_BadRequest' && /objects? being referenced (don't|do not) exist/i.test(error.message);
}

/** Graph's answer to binding an object that is already a member (400 Request_BadRequest). */
export function isAlreadyMember(error: { code: string; status?: number; message: string }): boolean {
  return error.status === 400 && error.code === 'Request_BadRequest' && /already exist/i.test(error.message);
}

/**
 * Graph's refusal to remove the last owner of a group: "Once owners are assigned to a group, the last owner (a user
 * object) of the group cannot be removed" (learn.microsoft.com/graph/api/group-delete-owners). The answer is 400
 * Request_BadRequest "The group must have at least one owner, hence this owner cannot be removed." (reported in
 * github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/3741).
 */
export function isLastOwnerRefusal(error: { code: string; status?: number; message: string }): boolean {
  return error.status === 400 && error.code === 'Request_BadRequest' && /at least one owner/i.test(error.message);
}
