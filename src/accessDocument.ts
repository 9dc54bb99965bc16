import * as vscode from 'vscode';
import type { AccessReportInput } from './accessReport';
import type { Services } from './services';

/** The virtual document "Check Access" shows in the Markdown preview: rendered on read, never stored. */
export const ACCESS_URI = vscode.Uri.from({ scheme: 'entra-id-access', path: '/Entra ID Access.md' });

/**
 * Serves {@link ACCESS_URI} and tells the preview to render it again when the sign-in, its tenant's name or the
 * read-only and cloud settings change, so an open report never shows a stale answer.
 */
export class AccessDocument implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly services: Pick<Services, 'identity' | 'settings'>,
    private readonly cloud: () => AccessReportInput['cloud'],
  ) {
    this.subscriptions = [
      services.identity.onDidChange(() => this.changed.fire(ACCESS_URI)),
      services.settings.onDidChange((names) => {
        if (names.has('readOnly') || names.has('cloud') || names.has('customGraphEndpoint')) this.changed.fire(ACCESS_URI);
      }),
    ];
  }

  /** The report's renderer is read when the report is first shown, not at activation. */
  async provideTextDocumentContent(): Promise<string> {
    const { renderAccessReport } = await import('./accessReport');
    return renderAccessReport({ identity: this.services.identity.identity, cloud: this.cloud(), readOnly: this.services.settings.readOnly });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
