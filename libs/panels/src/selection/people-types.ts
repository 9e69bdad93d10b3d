import type { ProblemIndex } from './panel-model';
import type { SelectionProblem } from './selection.types';

/**
 * Classes of interchangeable people: the same value for every feature and not bound by the
 * household rule (no housemate in the pool, or no rule). Swapping two of them maps every valid
 * panel to a valid panel, so some maximin lottery gives them equal probabilities, and the master
 * LP can work with one weight per class and panels as counts per class. A person sharing a
 * household stays a class of one.
 */
export interface PeopleTypes {
  /** Member indices of each class, ascending; classes ordered by their first member. */
  classes: number[][];
  /** Class of each member index. */
  classOf: Int32Array;
}

export function peopleTypes(problem: SelectionProblem, index: ProblemIndex): PeopleTypes {
  const n = problem.members.length;
  const housemate = new Uint8Array(n);
  for (const household of index.households) for (const i of household) housemate[i] = 1;
  const quotasOf: number[][] = problem.members.map(() => []);
  index.quotaMembers.forEach((members, q) => members.forEach((i) => quotasOf[i].push(q)));
  const byKey = new Map<string, number>();
  const classes: number[][] = [];
  const classOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = housemate[i] ? `#${i}` : quotasOf[i].join(',');
    let c = byKey.get(key);
    if (c === undefined) {
      c = classes.length;
      byKey.set(key, c);
      classes.push([]);
    }
    classes[c].push(i);
    classOf[i] = c;
  }
  return { classes, classOf };
}

/** A panel as counts per class: sparse, classes ascending; `key` identifies it. */
export function panelCounts(members: readonly number[], classOf: Int32Array): { classes: number[]; counts: number[]; key: string } {
  const tally = new Map<number, number>();
  for (const i of members) tally.set(classOf[i], (tally.get(classOf[i]) ?? 0) + 1);
  const classes = [...tally.keys()].sort((a, b) => a - b);
  const counts = classes.map((c) => tally.get(c)!);
  return { classes, counts, key: classes.map((c, j) => `${c}:${counts[j]}`).join(',') };
}
