// Union-find over the rows being resolved, with two brakes: a person's "apart" keeps two rows in
// different entities, and a merge that would join accounts holding different open opportunities
// in different CRMs is held for review instead of applied.

export interface HeldMerge {
  /** the smallest row id of each side: the pair a person approves */
  a: string;
  b: string;
  membersA: string[];
  membersB: string[];
  reason: string;
}

interface Options {
  /** account row → names of its open opportunities (accounts only) */
  open: Map<string, Set<string>>;
  systemOf: (id: string) => string;
  apart: { a: string; b: string }[];
}

export class Clusters {
  private readonly parent = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  /** root → system → open opportunity names */
  private readonly pipeline = new Map<string, Map<string, Set<string>>>();
  private readonly apart = new Map<string, Set<string>>();
  readonly held: HeldMerge[] = [];
  private readonly heldPairs = new Set<string>();

  constructor(ids: string[], private readonly options: Options) {
    for (const id of ids) {
      this.parent.set(id, id);
      this.members.set(id, [id]);
      const open = options.open.get(id);
      if (open?.size) this.pipeline.set(id, new Map([[options.systemOf(id), new Set(open)]]));
    }
    for (const { a, b } of options.apart) {
      (this.apart.get(a) ?? this.apart.set(a, new Set()).get(a)!).add(b);
      (this.apart.get(b) ?? this.apart.set(b, new Set()).get(b)!).add(a);
    }
  }

  find(id: string): string {
    let root = id;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    let x = id;
    while (x !== root) {
      const next = this.parent.get(x)!;
      this.parent.set(x, root);
      x = next;
    }
    return root;
  }

  /** joins the clusters of a and b unless a person said apart or the merge must be held */
  union(a: string, b: string, options: { force?: boolean } = {}): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return true;
    const ma = this.members.get(ra)!;
    const mb = this.members.get(rb)!;
    if (this.keptApart(ma, rb)) return false;
    if (!options.force) {
      const conflict = this.pipelineConflict(ra, rb);
      if (conflict) {
        this.hold(ma, mb, conflict);
        return false;
      }
    }
    if (ma.length < mb.length) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.members.get(ra)!.push(...this.members.get(rb)!);
    this.members.delete(rb);
    const pb = this.pipeline.get(rb);
    if (pb) {
      const pa = this.pipeline.get(ra) ?? this.pipeline.set(ra, new Map()).get(ra)!;
      for (const [system, names] of pb) for (const n of names) (pa.get(system) ?? pa.set(system, new Set()).get(system)!).add(n);
      this.pipeline.delete(rb);
    }
    return true;
  }

  groups(): string[][] {
    return [...this.members.values()];
  }

  private keptApart(side: string[], otherRoot: string): boolean {
    for (const id of side) {
      const partners = this.apart.get(id);
      if (partners) for (const p of partners) if (this.parent.has(p) && this.find(p) === otherRoot) return true;
    }
    return false;
  }

  /** both sides hold open opportunities, in different CRMs, and none of them is the same deal */
  private pipelineConflict(ra: string, rb: string): string | undefined {
    const pa = this.pipeline.get(ra);
    const pb = this.pipeline.get(rb);
    if (!pa || !pb) return undefined;
    for (const [sa, namesA] of pa) {
      for (const [sb, namesB] of pb) {
        if (sa === sb) continue;
        const shared = [...namesA].some((n) => namesB.has(n));
        if (!shared) return `both hold open opportunities in different CRMs (${sa}: ${[...namesA].slice(0, 3).join(', ')}; ${sb}: ${[...namesB].slice(0, 3).join(', ')})`;
      }
    }
    return undefined;
  }

  private hold(ma: string[], mb: string[], reason: string): void {
    let a = ma.reduce((x, y) => (y < x ? y : x));
    let b = mb.reduce((x, y) => (y < x ? y : x));
    if (b < a) [a, b] = [b, a];
    const key = `${a}\u0000${b}`;
    if (this.heldPairs.has(key)) return;
    this.heldPairs.add(key);
    this.held.push({ a, b, membersA: ma.includes(a) ? [...ma] : [...mb], membersB: ma.includes(a) ? [...mb] : [...ma], reason });
  }
}
