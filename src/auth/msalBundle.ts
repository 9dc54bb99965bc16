// Entry of dist/msal.js: the extension bundle loads @azure/msal-node from this separate file on first use.
export * from '@azure/msal-node';
