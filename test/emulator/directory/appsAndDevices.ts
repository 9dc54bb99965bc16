import type { TenantState } from './tenant.js';
import type { DeviceRecord, ServicePrincipalRecord } from './records.js';

/**
 * A handful of service principals and devices every seeded tenant has, so groups can take them as members. Ids are
 * constants so tests and the e2e harness can name them.
 */
const objectId = (n: number): string => `5eed0000-0b1e-4000-8000-${n.toString(16).padStart(12, '0')}`;
const appId = (n: number): string => `a9900000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const hardwareId = (n: number): string => `de71ce00-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const SEEDED_SERVICE_PRINCIPALS: readonly ServicePrincipalRecord[] = [
  { id: objectId(1), displayName: 'Payroll Sync', appId: appId(1), accountEnabled: true, servicePrincipalType: 'Application' },
  { id: objectId(2), displayName: 'Build Agent', appId: appId(2), accountEnabled: true, servicePrincipalType: 'Application' },
  { id: objectId(3), displayName: 'Legacy Reporting', appId: appId(3), accountEnabled: false, servicePrincipalType: 'Application' },
];

export const SEEDED_DEVICES: readonly DeviceRecord[] = [
  { id: objectId(101), displayName: 'Kiosk Lobby 01', deviceId: hardwareId(1), accountEnabled: true, operatingSystem: 'Windows' },
  { id: objectId(102), displayName: 'Kiosk Lobby 02', deviceId: hardwareId(2), accountEnabled: true, operatingSystem: 'Windows' },
  { id: objectId(103), displayName: 'Build Mac', deviceId: hardwareId(3), accountEnabled: false, operatingSystem: 'MacMDM' },
];

export function seedAppsAndDevices(state: TenantState): void {
  for (const sp of SEEDED_SERVICE_PRINCIPALS) state.addServicePrincipal(structuredClone(sp));
  for (const d of SEEDED_DEVICES) state.addDevice(structuredClone(d));
}
