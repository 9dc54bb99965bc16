/**
 * Tenant profiles (`entraId.profiles`, `entraId.activeProfile`): named sets of sign-in settings that override the
 * plain settings while active. vscode-free, so the rules are tested without an editor.
 */
import { SettingKeys } from './settingKeys';

export interface Profile {
  name: string;
  cloud?: string;
  tenantId?: string;
  clientId?: string;
  method?: string;
  readOnly?: boolean;
  /** Every write asks one more confirmation that names the tenant. */
  production?: boolean;
}

/** What the profile settings resolve to: the profile in effect (if any) and what was refused, in the user's words. */
export interface ProfileResolution {
  profiles: Profile[];
  active: Profile | undefined;
  problems: string[];
}

/**
 * Letters, digits, spaces, `.`, `_` and `-`, starting with a letter or digit, at most 64 characters: a name is part of
 * SecretStorage keys and is shown in the status bar and in confirmations.
 */
const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;
const TEXT_FIELDS = ['cloud', 'tenantId', 'clientId', 'method'] as const;
const FLAG_FIELDS = ['readOnly', 'production'] as const;

export function isProfileName(value: string): boolean {
  return NAME.test(value) && value.trim() === value;
}

/** Reads both settings; a profile that is not usable as a whole is refused (never half-applied) with a message. */
export function resolveProfiles(rawProfiles: unknown, rawActive: unknown): ProfileResolution {
  const problems: string[] = [];
  const profiles: Profile[] = [];
  const where = SettingKeys.profiles;
  if (rawProfiles !== undefined && !Array.isArray(rawProfiles)) problems.push(`${where} must be a list of profiles; ignoring it.`);
  const list: unknown[] = Array.isArray(rawProfiles) ? rawProfiles : [];
  const seen = new Set<string>();
  list.forEach((raw, index) => {
    const at = `${where}[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${at} is not an object; ignoring it.`);
      return;
    }
    const entry = raw as Record<string, unknown>;
    const name = entry.name;
    if (typeof name !== 'string' || !isProfileName(name)) {
      problems.push(`${at} has no usable name: a name is 1 to 64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit; ignoring the profile.`);
      return;
    }
    const key = name.toLowerCase();
    if (seen.has(key)) {
      problems.push(`${at}: the name "${name}" is used by an earlier profile; ignoring this one.`);
      return;
    }
    const profile: Profile = { name };
    for (const field of TEXT_FIELDS) {
      const value = entry[field];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`${at} ("${name}"): ${field} must be text; ignoring the profile.`);
        return;
      }
      profile[field] = value.trim();
    }
    for (const field of FLAG_FIELDS) {
      const value = entry[field];
      if (value === undefined) continue;
      if (typeof value !== 'boolean') {
        problems.push(`${at} ("${name}"): ${field} must be true or false; ignoring the profile.`);
        return;
      }
      profile[field] = value;
    }
    seen.add(key);
    profiles.push(profile);
  });

  let active: Profile | undefined;
  if (typeof rawActive === 'string' && rawActive.trim() !== '') {
    const wanted = rawActive.trim().toLowerCase();
    active = profiles.find((p) => p.name.toLowerCase() === wanted);
    if (!active) problems.push(`${SettingKeys.activeProfile} "${rawActive}" names no usable profile in ${where}; using the plain settings.`);
  } else if (rawActive !== undefined && rawActive !== null && rawActive !== '') {
    problems.push(`${SettingKeys.activeProfile} must be a profile's name; using the plain settings.`);
  }
  return { profiles, active, problems };
}
