/**
 * The app registration the guided setup creates: its delegated Microsoft Graph permissions (from the core's one
 * permission table), the loopback redirect URI of the authorizationCode method, and ready-to-run scripts for the
 * Azure CLI and Microsoft Graph PowerShell, per cloud. No vscode here: the setup commands only open what this writes.
 */
import { BROWSE_SCOPES, DELEGATED_PERMISSION_IDS, WRITE_OPERATIONS, writeAccess } from '../core';
import type { CloudEndpoints, CloudName } from './clouds';

/** Microsoft Graph's application id: the same in every national cloud. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * Where the browser returns to, as the app registration lists it. The authorizationCode method (AuthCodeSource) sends
 * `http://127.0.0.1:<port>/` — its own loopback listener on an ephemeral port — and redeems the code with the app's
 * client secret, as a confidential client (msal-node's ConfidentialClientApplication, with PKCE). So the URI belongs
 * on the **Web** platform: the identity platform tells public from confidential clients by the platform of the
 * redirect URI, and refuses a secret from a "Mobile and desktop applications" (public client) redirect with
 * AADSTS700025. The port is ignored for loopback redirect URIs, and 127.0.0.1 is not matched by `localhost` (the host
 * must be the one the extension sends); https://learn.microsoft.com/entra/identity-platform/reply-url (localhost
 * exceptions, prefer 127.0.0.1). The portal's Redirect URIs box refuses an http loopback address; the scripts set it
 * through Microsoft Graph (web.redirectUris), and the manual route goes through the app's Manifest.
 */
export const REDIRECT_URI = 'http://127.0.0.1';
export const APP_DISPLAY_NAME = 'Entra ID Directory for VS Code';

export type PermissionSet = 'readOnly' | 'readWrite';

/** The delegated permissions of a set: browsing's, plus (read-write) the least privileged permission of every write. */
export function permissionsOf(set: PermissionSet): string[] {
  const writes = set === 'readWrite' ? WRITE_OPERATIONS.map((op) => writeAccess(op).scopes[0] ?? '') : [];
  return [...new Set([...BROWSE_SCOPES, ...writes])].filter(Boolean);
}

export interface ResourceAccess {
  resourceAppId: string;
  resourceAccess: Array<{ id: string; type: 'Scope' }>;
}

/** The app's requiredResourceAccess (what `az ad app create --required-resource-accesses` takes). */
export function requiredResourceAccess(set: PermissionSet): ResourceAccess[] {
  return [
    {
      resourceAppId: GRAPH_APP_ID,
      resourceAccess: permissionsOf(set).map((name) => {
        const id = DELEGATED_PERMISSION_IDS[name];
        if (!id) throw new Error(`No permission id is known for ${name}.`);
        return { id, type: 'Scope' as const };
      }),
    },
  ];
}

/** Names the clouds' tools use: `az cloud set --name`, `Connect-MgGraph -Environment`. */
const CLOUD_TOOLS: Record<Exclude<CloudName, 'custom'>, { azCloud: string; mgEnvironment: string }> = {
  global: { azCloud: 'AzureCloud', mgEnvironment: 'Global' },
  usGovernment: { azCloud: 'AzureUSGovernment', mgEnvironment: 'USGov' },
  usGovernmentDoD: { azCloud: 'AzureUSGovernment', mgEnvironment: 'USGovDoD' },
  china: { azCloud: 'AzureChinaCloud', mgEnvironment: 'China' },
};

function toolsFor(cloud: CloudEndpoints): { azCloud: string; mgEnvironment: string } {
  // A custom endpoint stands in for the global Microsoft Graph (see graphResource): register the app there.
  return cloud.name === 'custom' ? CLOUD_TOOLS.global : CLOUD_TOOLS[cloud.name];
}

/**
 * The cloud's admin portal, for the manual route. Only its documented entry point: Microsoft documents no deep link
 * into a blade (https://learn.microsoft.com/entra/identity-platform/quickstart-register-app says "Browse to Identity >
 * Applications > App registrations"), and a blade address that changes would strand the user; the callers say which
 * page to open there.
 */
export function adminPortalUrl(cloud: CloudEndpoints): string {
  return `${cloud.portalUrl}/`;
}

function header(comment: string, cloud: CloudEndpoints, set: PermissionSet): string[] {
  const names = permissionsOf(set).join(', ');
  return [
    `${comment} Creates the app registration "${APP_DISPLAY_NAME}" for the Entra ID Directory extension.`,
    `${comment} Cloud: ${cloud.name} (sign-in ${cloud.authorityHost}, Microsoft Graph ${cloud.graphBaseUrl}, portal ${cloud.portalUrl}).`,
    `${comment} Delegated Microsoft Graph permissions (${set === 'readOnly' ? 'read-only' : 'read-write'}): ${names}.`,
    `${comment} Redirect URI: ${REDIRECT_URI} on the Web platform: the extension redeems the sign-in code with the app's`,
    `${comment} client secret (a confidential client); under "Mobile and desktop applications" the secret would be refused.`,
    `${comment} Run it as someone allowed to register applications.`,
    `${comment} Afterwards: an administrator grants consent, then paste the application (client) ID into the extension`,
    `${comment} ("Entra ID: Enter Application (Client) ID") and store the secret ("Entra ID: Set Client Secret").`,
  ];
}

/** A bash script for the Azure CLI. */
export function azureCliScript(cloud: CloudEndpoints, set: PermissionSet): string {
  const json = JSON.stringify(requiredResourceAccess(set));
  return [
    '#!/usr/bin/env bash',
    ...header('#', cloud, set),
    'set -euo pipefail',
    '',
    `az cloud set --name ${toolsFor(cloud).azCloud}`,
    'az account show --output none 2>/dev/null || az login --allow-no-subscriptions --output none',
    '',
    'app_id=$(az ad app create \\',
    `  --display-name "${APP_DISPLAY_NAME}" \\`,
    '  --sign-in-audience AzureADMyOrg \\',
    `  --web-redirect-uris "${REDIRECT_URI}" \\`,
    `  --required-resource-accesses '${json}' \\`,
    '  --query appId --output tsv)',
    '# The service principal is what an administrator grants consent to.',
    'az ad sp create --id "$app_id" --output none',
    'echo "Application (client) ID: $app_id"',
    '',
    '# The authorizationCode method signs in with a client secret: shown once here, keep it only in VS Code.',
    'echo "Client secret (store it with \\"Entra ID: Set Client Secret\\"):"',
    'az ad app credential reset --id "$app_id" --append --display-name "VS Code" --years 1 --query password --output tsv',
    '',
    '# An administrator grants consent for the organization (or uses "Grant admin consent" in the portal):',
    '# az ad app permission admin-consent --id "$app_id"',
    '',
  ].join('\n');
}

/** A PowerShell script for the Microsoft Graph PowerShell SDK. */
export function powerShellScript(cloud: CloudEndpoints, set: PermissionSet): string {
  const access = permissionsOf(set).map((name) => `      @{ Id = '${DELEGATED_PERMISSION_IDS[name] ?? ''}'; Type = 'Scope' } # ${name}`);
  return [
    ...header('#', cloud, set),
    '#Requires -Modules Microsoft.Graph.Applications',
    "$ErrorActionPreference = 'Stop'",
    '',
    `Connect-MgGraph -Environment ${toolsFor(cloud).mgEnvironment} -Scopes 'Application.ReadWrite.All' -NoWelcome`,
    '',
    '$requiredResourceAccess = @(',
    '  @{',
    `    ResourceAppId = '${GRAPH_APP_ID}' # Microsoft Graph`,
    '    ResourceAccess = @(',
    ...access,
    '    )',
    '  }',
    ')',
    '',
    `$app = New-MgApplication -DisplayName '${APP_DISPLAY_NAME}' -SignInAudience 'AzureADMyOrg' \``,
    `  -Web @{ RedirectUris = @('${REDIRECT_URI}') } \``,
    '  -RequiredResourceAccess $requiredResourceAccess',
    '# The service principal is what an administrator grants consent to.',
    'New-MgServicePrincipal -AppId $app.AppId | Out-Null',
    '"Application (client) ID: $($app.AppId)"',
    '',
    '# The authorizationCode method signs in with a client secret: shown once here, keep it only in VS Code.',
    "$secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ DisplayName = 'VS Code' }",
    '"Client secret (store it with ""Entra ID: Set Client Secret""): $($secret.SecretText)"',
    '',
  ].join('\n');
}
