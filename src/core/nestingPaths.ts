/**
 * Graph questions about nested groups, answered from edges already read: which edges close a cycle, and by which
 * paths a member reaches a group. Pure and bounded, so a cyclic directory cannot make them loop.
 */

/** Edges from an id to the ids it leads to (a group to the groups it contains, or to those it is a member of). */
export type Edges = ReadonlyMap<string, readonly string[]>;

export function edgeKey(from: string, to: string): string {
  return `${from}>${to}`;
}

/**
 * The edges that close a cycle: in a depth-first walk from `root`, those that lead back to a group on the current
 * path. Removing them leaves no cycle; each cycle has at least one of them. Iterative, so depth cannot overflow.
 */
export function cycleEdges(root: string, edges: Edges): Set<string> {
  const closing = new Set<string>();
  const state = new Map<string, 'open' | 'done'>([[root, 'open']]);
  const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { id: string; next: number };
    const targets = edges.get(top.id) ?? [];
    if (top.next >= targets.length) {
      state.set(top.id, 'done');
      stack.pop();
      continue;
    }
    const to = targets[top.next++] as string;
    const seen = state.get(to);
    if (seen === 'open') closing.add(edgeKey(top.id, to));
    else if (seen === undefined) {
      state.set(to, 'open');
      stack.push({ id: to, next: 0 });
    }
  }
  return closing;
}

export interface MemberPaths {
  /** Each path runs from a group the member is directly in to the target, both included. */
  paths: string[][];
  /** Edges met on the way that lead back into the path being followed (a cycle), as `[from, to]`. */
  cycles: Array<[string, string]>;
  /** The search stopped early (`maxPaths` found, or its step budget spent): more paths may exist. */
  more: boolean;
}

/** Paths to one group found at most: enough to explain a membership; more are reported as "more". */
export const MAX_MEMBER_PATHS = 20;

/**
 * The simple paths from any of `starts` to `target` along `parents` (group → the groups it is a member of). A group
 * is never visited twice on one path, so cycles end a path instead of repeating it; they are reported instead.
 */
export function pathsTo(starts: readonly string[], target: string, parents: Edges, maxPaths = MAX_MEMBER_PATHS, maxSteps = 100_000): MemberPaths {
  const paths: string[][] = [];
  const cycles = new Map<string, [string, string]>();
  let more = false;
  let steps = 0;
  for (const start of new Set(starts)) {
    const path = [start];
    const onPath = new Set(path);
    const cursor: number[] = [0];
    while (path.length > 0) {
      // Many groups can join and part again: the number of paths can grow faster than the groups; stop at a budget.
      if (++steps > maxSteps || paths.length >= maxPaths) {
        more = true;
        break;
      }
      const at = path[path.length - 1] as string;
      if (at === target) {
        paths.push([...path]);
        pop(path, onPath, cursor);
        continue;
      }
      const next = parents.get(at) ?? [];
      const i = cursor[cursor.length - 1] as number;
      if (i >= next.length) {
        pop(path, onPath, cursor);
        continue;
      }
      cursor[cursor.length - 1] = i + 1;
      const to = next[i] as string;
      if (onPath.has(to)) {
        cycles.set(edgeKey(at, to), [at, to]);
        continue;
      }
      path.push(to);
      onPath.add(to);
      cursor.push(0);
    }
    if (more) break;
  }
  return { paths, cycles: [...cycles.values()], more };
}

function pop(path: string[], onPath: Set<string>, cursor: number[]): void {
  onPath.delete(path.pop() as string);
  cursor.pop();
}
