/**
 * The dependency graph of a project: every cycle (Tarjan's strongly connected components, so
 * all of them are found in one pass, not just the first), a topological order, and the
 * ancestors and descendants the selectors walk. Pure: ids and edges in, ids out.
 */

/** Node id → ids it depends on. Edges to unknown ids are ignored (reported as missing refs). */
export type Graph = ReadonlyMap<string, readonly string[]>;

/** Every cycle, each as a closed path `[a, b, ..., a]`, in a stable order. */
export function findCycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;

  // Iterative Tarjan: deep chains of models must not overflow the call stack.
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { id: string; next: number }[] = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { id: string; next: number };
      const deps = (graph.get(frame.id) ?? []).filter((dep) => graph.has(dep));
      if (frame.next < deps.length) {
        const dep = deps[frame.next++] as string;
        if (!index.has(dep)) {
          index.set(dep, counter);
          low.set(dep, counter++);
          stack.push(dep);
          onStack.add(dep);
          work.push({ id: dep, next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(dep) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = (graph.get(frame.id) ?? []).includes(frame.id);
        if (component.length > 1 || selfLoop) cycles.push(cyclePath(graph, new Set(component)));
      }
    }
  }
  return cycles.sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
}

/** A concrete closed path through a strongly connected component, from its smallest id. */
function cyclePath(graph: Graph, component: Set<string>): string[] {
  const start = [...component].sort()[0] as string;
  const previous = new Map<string, string>();
  const queue = [start];
  // Breadth-first from start back to start gives the shortest cycle through it.
  while (queue.length > 0) {
    const id = queue.shift() as string;
    for (const dep of [...(graph.get(id) ?? [])].sort()) {
      if (!component.has(dep)) continue;
      if (dep === start) {
        const chain: string[] = [];
        for (let at: string | undefined = id; at !== undefined && at !== start; at = previous.get(at))
          chain.push(at);
        // In reading order: start reads chain[0], which reads chain[1], ..., which reads start.
        return [start, ...chain.reverse(), start];
      }
      if (!previous.has(dep)) {
        previous.set(dep, id);
        queue.push(dep);
      }
    }
  }
  return [start, start];
}

/** A topological order (dependencies first), ties broken by id for determinism. Assumes no cycle. */
export function topologicalOrder(graph: Graph): string[] {
  const remaining = new Map<string, number>();
  const children = childrenOf(graph);
  for (const [id, deps] of graph) remaining.set(id, deps.filter((dep) => graph.has(dep)).length);
  const ready = [...remaining]
    .filter(([, n]) => n === 0)
    .map(([id]) => id)
    .sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const child of children.get(id) ?? []) {
      const left = (remaining.get(child) as number) - 1;
      remaining.set(child, left);
      if (left === 0) {
        ready.push(child);
        ready.sort();
      }
    }
  }
  if (order.length !== graph.size)
    throw new Error(`invalid graph: cycle among ${graph.size - order.length} nodes`);
  return order;
}

/** Id → ids that depend on it. */
export function childrenOf(graph: Graph): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const id of graph.keys()) children.set(id, []);
  for (const [id, deps] of graph) {
    for (const dep of new Set(deps)) children.get(dep)?.push(id);
  }
  return children;
}

/** Ids reachable from `start` along `edges` within `depth` steps (Infinity: all), start excluded. */
export function reachable(
  edges: ReadonlyMap<string, readonly string[]>,
  start: string,
  depth = Number.POSITIVE_INFINITY,
): Set<string> {
  const seen = new Set<string>();
  let frontier = [start];
  for (let step = 0; step < depth && frontier.length > 0; step++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const other of edges.get(id) ?? []) {
        if (!seen.has(other) && other !== start) {
          seen.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return seen;
}
