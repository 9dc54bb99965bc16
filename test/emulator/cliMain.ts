import { writeFileSync } from 'node:fs';
import { startEmulator } from './index.js';
import type { EmulatorOptions } from './types.js';

/**
 * Command-line entry: starts an emulator, prints its coordinates (and one
 * `EMULATOR_READY {json}` line for scripts), and stops cleanly on SIGINT/SIGTERM.
 */
const USAGE = `Usage: node test/emulator/cli.mjs [--host 127.0.0.1] [--port 0] [--users 50] [--groups 20] [--seed 1]
  [--https] [--cert-out FILE] [--latency MS] [--faults RATE] [--throttle] [--no-adversarial] [--tenant-id GUID] [--domain NAME]
  [--tenant-name NAME] [--custom-domain NAME]
  [--replication-delay MIN,MAX] [--server-time MS_PER_ITEM] [--other-tenant GUID,DOMAIN,NAME[,USERS,GROUPS]]...`;

export function parseArgs(argv: readonly string[]): { options: EmulatorOptions; certOut?: string } {
  const options: EmulatorOptions = {};
  let certOut: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    const num = (): number => {
      const n = Number(value());
      if (!Number.isFinite(n)) throw new Error(`${arg} needs a number\n${USAGE}`);
      return n;
    };
    switch (arg) {
      case '--host':
        options.host = value();
        break;
      case '--port':
        options.port = num();
        break;
      case '--users':
        options.users = num();
        break;
      case '--groups':
        options.groups = num();
        break;
      case '--seed':
        options.seed = num();
        break;
      case '--https':
        options.https = true;
        break;
      case '--cert-out':
        certOut = value();
        options.https = true;
        break;
      case '--latency':
        options.latencyMs = num();
        break;
      case '--faults':
        options.faults = { rate: num() };
        break;
      case '--throttle':
        options.throttle = {};
        break;
      case '--no-adversarial':
        options.adversarial = false;
        break;
      case '--tenant-id':
        options.tenantId = value();
        break;
      case '--domain':
        options.domain = value();
        break;
      case '--tenant-name':
        options.tenantName = value();
        break;
      case '--custom-domain':
        options.customDomain = value();
        break;
      case '--replication-delay': {
        const [min, max] = value().split(',').map(Number);
        if (min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`${arg} needs MIN,MAX in ms\n${USAGE}`);
        options.consistency = { replicationDelayMs: [min, max] };
        break;
      }
      case '--server-time':
        options.serverTime = { perItemMs: num() };
        break;
      case '--other-tenant': {
        const [tenantId, domain, tenantName, users, groups] = value().split(',').map((p) => p.trim());
        if (!tenantId || !domain || !tenantName) throw new Error(`${arg} needs GUID,DOMAIN,NAME[,USERS,GROUPS]\n${USAGE}`);
        const count = (v: string | undefined): number | undefined => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1) throw new Error(`${arg}: '${v}' is not a count\n${USAGE}`);
          return n;
        };
        const u = count(users);
        const g = count(groups);
        (options.otherTenants ??= []).push({ tenantId, domain, tenantName, ...(u !== undefined ? { users: u } : {}), ...(g !== undefined ? { groups: g } : {}) });
        break;
      }
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown argument ${arg}\n${USAGE}`);
    }
  }
  return certOut !== undefined ? { options, certOut } : { options };
}

export async function main(argv: readonly string[]): Promise<void> {
  const { options, certOut } = parseArgs(argv);
  const started = performance.now();
  const em = await startEmulator(options);
  if (certOut !== undefined && em.caCert !== undefined) writeFileSync(certOut, em.caCert);
  const admin = em.state.usersById.get(em.state.adminUserId);
  const info = {
    url: em.url,
    graphUrl: em.graphUrl,
    authorityHost: em.authorityHost,
    authority: `${em.authorityHost}/${em.tenantId}`,
    tenantId: em.tenantId,
    domain: em.domain,
    clientId: em.apps.demo.clientId,
    clientSecret: em.apps.demo.clientSecret,
    adminUpn: admin?.userPrincipalName ?? '',
    adminUserId: em.state.adminUserId,
    users: em.state.usersById.size,
    groups: em.state.groupsById.size,
    ...(certOut !== undefined ? { caCertFile: certOut } : {}),
    ...(em.otherTenants.size > 0
      ? {
          otherTenants: [...em.otherTenants.values()].map((t) => ({
            tenantId: t.tenantId,
            domain: t.domain,
            tenantName: t.tenantName,
            authority: `${em.authorityHost}/${t.tenantId}`,
            adminUpn: t.state.usersById.get(t.state.adminUserId)?.userPrincipalName ?? '',
          })),
        }
      : {}),
  };
  console.log(`Graph emulator ready in ${Math.round(performance.now() - started)} ms`);
  console.log(`  Graph URL       ${info.graphUrl}`);
  console.log(`  Authority host  ${info.authorityHost}   (authority ${info.authority})`);
  console.log(`  Tenant          ${info.tenantId}  (${info.domain})`);
  console.log(`  Demo app        client id ${info.clientId}  secret ${info.clientSecret}`);
  console.log(`  Admin           ${info.adminUpn}`);
  console.log(`  Directory       ${info.users} users, ${info.groups} groups`);
  for (const t of info.otherTenants ?? []) console.log(`  Other tenant    ${t.tenantId}  (${t.domain}, ${t.tenantName}; admin ${t.adminUpn})`);
  if (certOut !== undefined) console.log(`  CA certificate  ${certOut}`);
  console.log(`EMULATOR_READY ${JSON.stringify(info)}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, closing emulator`);
    em.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
