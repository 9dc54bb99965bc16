import { graphErrorDate } from '../util/json.js';

/**
 * A Graph failure with its HTTP status, Graph error code and message. Handlers throw
 * it; the pipeline renders Graph's body shape with innerError date/request ids.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ErrorIds {
  requestId: string;
  clientRequestId: string;
}

export function errorBody(code: string, message: string, ids: ErrorIds, extraInner: Record<string, string> = {}): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: graphErrorDate(),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
        ...extraInner,
      },
    },
  };
}

// ---- constructors for the errors Graph returns on directory endpoints ----------

export const notFound = (id: string): GraphError =>
  new GraphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

export const badRequest = (message: string): GraphError => new GraphError(400, 'Request_BadRequest', message);

export const unsupportedQuery = (message: string): GraphError => new GraphError(400, 'Request_UnsupportedQuery', message);

export const forbidden = (): GraphError =>
  new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const methodNotAllowed = (): GraphError =>
  new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');

export const segmentNotFound = (segment: string): GraphError =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

export const unknownProperty = (prop: string, typeName: string): GraphError =>
  badRequest(`Could not find a property named '${prop}' on type 'microsoft.graph.${typeName}'.`);

export const invalidJson = (): GraphError =>
  new GraphError(
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );

export const invalidPropertyValue = (prop: string, resource: string): GraphError =>
  badRequest(`Invalid value specified for property '${prop}' of resource '${resource}'.`);

export const ADVANCED_HINT =
  'Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information';

export const advancedOperator = (op: string): GraphError =>
  unsupportedQuery(`Operator '${op}' is not supported because the required parameters might be missing. ${ADVANCED_HINT}`);

export const unsupportedFilterProperty = (prop: string, resource: string): GraphError =>
  unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${prop}' of resource '${resource}'.`);
