/**
 * A scripted `window.createQuickPick` for the vscode test double (which has none): the test says what to choose
 * once the rows are loaded, or to dismiss the pick. Installed on the fake's `window` for the duration of a suite.
 */
import * as vscode from '../support/vscodeFake';

type Listener<T> = (e: T) => unknown;

export interface PickRow {
  label: string;
  description?: string;
  detail?: string;
  object?: { id: string };
  loadMore?: true;
}

/** What to do with the next pick: choose the row whose object has this id, or dismiss it. */
export type PickPlan = { choose: string } | 'dismiss';

export class ScriptedQuickPick {
  title = '';
  placeholder = '';
  matchOnDescription = false;
  ignoreFocusOut = false;
  busy = false;
  value = '';
  items: PickRow[] = [];
  selectedItems: PickRow[] = [];
  private readonly accept: Array<Listener<void>> = [];
  private readonly hide$: Array<Listener<void>> = [];
  private hidden = false;

  constructor(private readonly plan: PickPlan) {}

  onDidChangeValue(_l: Listener<string>): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  onDidAccept(l: Listener<void>): vscode.Disposable {
    this.accept.push(l);
    return new vscode.Disposable(() => undefined);
  }
  onDidHide(l: Listener<void>): vscode.Disposable {
    this.hide$.push(l);
    return new vscode.Disposable(() => undefined);
  }

  show(): void {
    void this.play();
  }

  hide(): void {
    if (this.hidden) return;
    this.hidden = true;
    for (const l of this.hide$) l();
  }

  dispose(): void {
    this.hidden = true;
  }

  /** Waits (bounded, in event-loop turns) for the first page, then chooses or dismisses. */
  private async play(): Promise<void> {
    const plan = this.plan;
    if (plan === 'dismiss') {
      this.hide();
      return;
    }
    for (let turn = 0; turn < 2000; turn++) {
      const row = this.items.find((r) => r.object?.id === plan.choose);
      if (row) {
        this.selectedItems = [row];
        for (const l of this.accept) l();
        return;
      }
      const more = this.items.find((r) => r.loadMore);
      if (!this.busy && more) {
        this.selectedItems = [more];
        for (const l of this.accept) l();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.hide();
  }
}

/** Queues plans for the quick picks the code under test opens, in order; an unplanned pick is dismissed. */
export function installQuickPicks(): { plans: PickPlan[]; opened: ScriptedQuickPick[]; uninstall(): void } {
  const plans: PickPlan[] = [];
  const opened: ScriptedQuickPick[] = [];
  const target = vscode.window as unknown as Record<string, unknown>;
  target.createQuickPick = () => {
    const pick = new ScriptedQuickPick(plans.shift() ?? 'dismiss');
    opened.push(pick);
    return pick;
  };
  return { plans, opened, uninstall: () => delete target.createQuickPick };
}
