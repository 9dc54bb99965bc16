/**
 * The tenants a view's real-VS-Code checks run on: the demo tenant (the run's home tenant, in the shared code-server)
 * and Northwind, the run's 5,000-user tenant behind the same emulator origin (a code-server of its own, signed in to it
 * with a tenant profile). A check file describes its scenario once, as a function of a fixture, and calls it for each.
 */
import type { RequestLogEntry, TenantState } from '../../emulator';
import { e2e, type Emulator } from '../harness/context';
import { NORTHWIND } from '../harness/otherTenant';
import { answered, DirectoryUi, OwnCodeServer, requests, until } from './directoryUi';

/** One tenant of the run's emulator, as a check sees it (resolved when the check runs: the emulator starts later). */
export interface TenantView {
  readonly tenantId: string;
  readonly domain: string;
  readonly tenantName: string;
  readonly state: TenantState;
}

export interface TenantFixture {
  /** For test titles: which tenant, and how big. */
  readonly label: string;
  /** The tenant's directory; call in hooks and tests only. */
  tenant(): TenantView;
  /** Opens the Entra ID side bar in a workbench signed in to the tenant. */
  open(): Promise<DirectoryUi>;
  /** Closes what `open` opened (after `ui`'s own clean-up). */
  close(ui: DirectoryUi | undefined): Promise<void>;
}

/** The run's emulator, which serves every tenant (one request log for all). */
export function emulatorOf(): Emulator {
  return e2e().emulator;
}

/** The extension's requests after `since` that `fixture`'s tenant answered. */
export function tenantRequests(fixture: TenantFixture, method: string, pathTest: string | RegExp, since: number): RequestLogEntry[] {
  return requests(emulatorOf(), method, pathTest, since, fixture.tenant().tenantId);
}

/** Waits for a request `fixture`'s tenant answered after `since`, and returns it. */
export function tenantAnswered(fixture: TenantFixture, what: string, method: string, pathTest: string | RegExp, since: number, timeoutMs: number): Promise<RequestLogEntry> {
  return answered(emulatorOf(), what, method, pathTest, since, timeoutMs, fixture.tenant().tenantId);
}

/** The demo tenant (Contoso, 250 users): the run's shared code-server, signed in to it by the run's settings. */
export const DEMO_TENANT: TenantFixture = {
  label: 'the demo tenant',
  tenant: () => emulatorOf(),
  open: () => DirectoryUi.open(),
  close: async (ui) => {
    await ui?.close();
  },
};

/**
 * Northwind (5,000 users): a code-server of its own whose active profile names Northwind's tenant; the run's settings
 * otherwise (app-only with the demo app, which is consented in every tenant of the emulator).
 */
export function bigTenant(): TenantFixture {
  let own: OwnCodeServer | undefined;
  const tenant = (): TenantView => {
    const found = emulatorOf().otherTenants.get(NORTHWIND.tenantId);
    if (!found) throw new Error(`the run's emulator does not serve ${NORTHWIND.tenantName} (test/e2e/run.ts, otherTenants)`);
    return found;
  };
  return {
    label: `${NORTHWIND.tenantName} (${NORTHWIND.users.toLocaleString('en')} users)`,
    tenant,
    async open() {
      const emulator = emulatorOf();
      own = await OwnCodeServer.create(emulator);
      const workbench = await own.start(emulator, {
        'entraId.profiles': [{ name: NORTHWIND.tenantName, tenantId: NORTHWIND.tenantId }],
        'entraId.activeProfile': NORTHWIND.tenantName,
      });
      const ui = await DirectoryUi.open(workbench);
      await until(`the status bar to name ${NORTHWIND.tenantName}`, async () => (await ui.statusBar().innerText()).includes(tenant().tenantName), 90_000);
      return ui;
    },
    async close(ui) {
      await ui?.close();
      await own?.dispose();
      own = undefined;
    },
  };
}

/** Every tenant a view's checks run on. */
export function tenantFixtures(): TenantFixture[] {
  return [DEMO_TENANT, bigTenant()];
}
