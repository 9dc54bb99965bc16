/** The auth layer's surface for the rest of the extension. */
export { SignInManager, type SignInManagerDeps } from './signInManager';
export { createSignInManager, readAuthEnvironment, type AuthEnvironment } from './createSignInManager';
export { consentHint, isConsentFailure } from './consent';
export { COMMAND_TITLES } from './authErrors';
export { readAuthConfig, SETTINGS, type AuthConfig } from './config';
export { CLOUDS, graphResource, resolveCloud, type CloudEndpoints, type CloudName } from './clouds';
export { AuthError, type AuthMethod, type SignedInAccount } from './types';
