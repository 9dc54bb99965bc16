import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toAuthError } from '../../src/auth/msalErrors';
import { describeAuthFailure, redact } from '../../src/auth/redact';
import { readTokenClaims } from '../../src/auth/tokenClaims';
import { AuthError } from '../../src/auth/types';
import { fakeJwt } from './authFakes';

const SECRET = 'Xy7Q~abcDEF123ghiJKL456mnoPQR789stuVWX0yz';
const GUID = '0b6a2e4c-1f3d-4c5b-9a8e-7d6c5b4a3f2e';

describe('redaction', () => {
  it('removes JWTs, bearer values, credential parameters, known values and long opaque runs', () => {
    const jwt = fakeJwt({ oid: 'x' });
    const text = `token ${jwt} header Bearer abc.def body client_secret=${encodeURIComponent(SECRET)}&code=0.AAAbbbCCC&grant_type=authorization_code {"refresh_token":"1.AQ-opaque"} raw ${SECRET} rt 0.AXYAabc123def456ghi789jkl012mno345pqr`;
    const out = redact(text, [SECRET]);
    assert.doesNotMatch(out, /eyJ/);
    assert.doesNotMatch(out, /Xy7Q/);
    assert.doesNotMatch(out, /0\.AAAbbb/);
    assert.doesNotMatch(out, /1\.AQ-opaque/);
    assert.doesNotMatch(out, /abc123def456/);
    assert.match(out, /grant_type=authorization_code/);
    assert.match(out, /Bearer \[redacted\]/);
  });

  it('keeps ids, error codes and words', () => {
    const text = `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value, not the client secret ID, for a secret added to app '${GUID}'. GroupMember.ReadWrite.All`;
    assert.equal(redact(text), text);
  });

  it('describes msal errors by code and first line, without trace ids or secrets', () => {
    const error = Object.assign(new Error('x'), {
      errorCode: 'invalid_client',
      errorMessage: `AADSTS7000215: Invalid client secret provided. body: client_secret=${SECRET}\r\nTrace ID: ${GUID}\r\nCorrelation ID: ${GUID}\r\nTimestamp: 2024-01-01 00:00:00Z`,
    });
    const { errorCode, description } = describeAuthFailure(error, [SECRET]);
    assert.equal(errorCode, 'invalid_client');
    assert.match(description, /^AADSTS7000215: Invalid client secret provided\./);
    assert.doesNotMatch(description, /Trace ID|Xy7Q/);
  });
});

describe('msal error mapping', () => {
  const context = { clientId: GUID, authorityHost: 'https://login.microsoftonline.com', known: [SECRET] };
  const msalError = (name: string, errorCode: string, errorMessage: string) => Object.assign(new Error(`${errorCode}: ${errorMessage}`), { name, errorCode, errorMessage });

  it('a rejected secret names the Set Client Secret command and never the secret', () => {
    const error = toAuthError(msalError('ServerError', 'invalid_client', `AADSTS7000215: Invalid client secret provided. ${SECRET}`), context);
    assert.ok(error instanceof AuthError);
    assert.equal(error.code, 'Configuration');
    assert.match(error.message, /Entra ID: Set Client Secret/);
    assert.ok(!error.message.includes(SECRET));
  });

  it('an expired refresh token means signing in again', () => {
    const error = toAuthError(msalError('InteractionRequiredAuthError', 'invalid_grant', 'AADSTS700082: The refresh token has expired due to inactivity.'), context);
    assert.equal(error.code, 'NotSignedIn');
  });

  it('missing admin consent is a consent error', () => {
    assert.equal(toAuthError(msalError('ServerError', 'invalid_request', 'AADSTS65001: The user or administrator has not consented.'), context).code, 'ConsentRequired');
  });

  it('unknown failures keep msal error code but no token', () => {
    const error = toAuthError(msalError('ClientAuthError', 'network_error', `Network request failed: ${fakeJwt({ a: 1 })}`), context);
    assert.equal(error.code, 'Failed');
    assert.match(error.message, /network_error/);
    assert.doesNotMatch(error.message, /eyJ/);
  });
});

describe('token claims', () => {
  it('reads oid, tid, exp and roles from a JWT and nothing from an opaque token', () => {
    assert.deepEqual(readTokenClaims(fakeJwt({ oid: 'o', tid: 't', exp: 5, roles: ['User.Read.All', 3] })), { oid: 'o', tid: 't', exp: 5, roles: ['User.Read.All'] });
    assert.deepEqual(readTokenClaims('EwBwA8l6BAAU-opaque'), {});
    assert.deepEqual(readTokenClaims('a.%%%.c'), {});
  });
});

describe('msal server error text', () => {
  it('keeps the description of msal\'s server error format', () => {
    const errorMessage = `Error(s): 7000215 - Timestamp: 2024-01-01 00:00:00Z - Description: AADSTS7000215: Invalid client secret provided.\r\nTrace ID: ${GUID}\r\nCorrelation ID: ${GUID} - Correlation ID: ${GUID} - Trace ID: ${GUID}`;
    assert.equal(describeAuthFailure({ errorCode: 'invalid_client', errorMessage }).description, 'AADSTS7000215: Invalid client secret provided.');
  });
});
