import * as vscode from 'vscode';
import { loadOnce } from '../core/loadOnce';

/**
 * A view's data provider at activation: the real one (and the code behind it) is read when the view first asks for
 * its rows. Until then it has no rows to give; afterwards it passes every call and change event through.
 */
export class DeferredTreeProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private real: vscode.TreeDataProvider<T> | undefined;
  private forwarding: vscode.Disposable | undefined;
  private readonly provider: () => Promise<vscode.TreeDataProvider<T>>;

  constructor(load: () => Promise<vscode.TreeDataProvider<T>>) {
    this.provider = loadOnce(async () => {
      const real = await load();
      this.real = real;
      this.forwarding = real.onDidChangeTreeData?.((e) => this.changed.fire(e ?? undefined));
      return real;
    });
  }

  async getChildren(element?: T): Promise<T[]> {
    return (await (await this.provider()).getChildren(element)) ?? [];
  }

  /** Only rows the real provider gave are ever asked about, so it is there by then. */
  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.real) throw new Error('A row was asked for before the view was read.');
    return this.real.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.real?.getParent?.(element);
  }

  dispose(): void {
    this.forwarding?.dispose();
    this.changed.dispose();
  }
}
