import * as vscode from 'vscode';
import type { Profile } from '../shared/profiles';
import { SettingKeys } from '../shared/settingKeys';
import { showInfo, showWarning } from '../ui/feedback';
import type { CommandDeps } from './types';
import { signIn } from './viewCommands';

type Choice = vscode.QuickPickItem & { profile: string | undefined };

/**
 * "Switch Profile…": picks a profile from `entraId.profiles` (or none: the plain settings). Switching lets go of the
 * profile in use first, so no account, page or tree of one tenant outlives the switch, then signs in with the new one.
 * The profile left behind keeps its token cache (each profile has its own): switching back signs in silently. Only
 * "Sign Out" deletes a cache.
 */
export async function switchProfile(deps: CommandDeps): Promise<void> {
  const settings = deps.services.settings;
  const { profiles, active, problems } = settings.profiles;
  // Refused profiles are not offered: say why here, where their absence is noticed.
  if (problems.length) {
    for (const problem of problems) deps.services.log.warn(problem);
    void showWarning(problems.length === 1 ? (problems[0] ?? '') : vscode.l10n.t('{0} ({1} more in the log)', problems[0] ?? '', problems.length - 1));
  }
  if (profiles.length === 0) {
    void showInfo(vscode.l10n.t('No profiles are set up. Add them to the setting {0} in your user settings.', SettingKeys.profiles));
    return;
  }
  const current = vscode.l10n.t('active');
  const choices: Choice[] = [
    ...profiles.map((p): Choice => ({ label: p.name, description: [p === active ? current : '', ...traits(p)].filter(Boolean).join(' · '), profile: p.name })),
    { label: vscode.l10n.t('No profile — use the settings'), description: active ? '' : current, profile: undefined },
  ];
  const chosen = await vscode.window.showQuickPick(choices, {
    title: vscode.l10n.t('Entra ID: Switch Profile'),
    placeHolder: active ? vscode.l10n.t('Profile in use: {0}', active.name) : vscode.l10n.t('No profile in use: the settings apply'),
  });
  if (!chosen || chosen.profile?.toLowerCase() === active?.name.toLowerCase()) return;
  await deps.services.auth.disconnect();
  // Pages show (and could write to) objects of the tenant left behind; the trees restart on the sign-out themselves.
  deps.panels.closeAll();
  // The settings' change event re-reads the sign-in configuration (see createSignInManager) before this resolves.
  await settings.setActiveProfile(chosen.profile);
  await signIn(deps);
}

/** What sets a profile apart, in a few words. */
function traits(profile: Profile): string[] {
  return [
    profile.production ? vscode.l10n.t('production') : '',
    profile.readOnly ? vscode.l10n.t('read-only') : '',
    profile.tenantId ?? '',
    profile.cloud ?? '',
  ];
}
