// Decides, deterministically for a seed, which requests get which fault; rules can change while serving.

import { createRng, deriveSeed, type Rng } from '../util/rng.js';
import { faultApplies, formatFaultSpec, normalizeFaultRule, type FaultKind, type FaultRule, type RequestOp } from './spec.js';

/** A rule with its counters, as reported by `/__admin/faults`. */
export interface FaultRuleStatus extends FaultRule {
  /** The canonical spec text. */
  spec: string;
  /** Matching requests seen so far. */
  matched: number;
  /** Times the fault fired. */
  fired: number;
}

interface ActiveRule {
  rule: FaultRule;
  rng: Rng;
  matched: number;
  fired: number;
}

/** Holds the fault rules and draws from one seeded random stream per rule. */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private added = 0;

  constructor(private readonly seed: number) {}

  /** Adds rules (spec strings or rule objects); throws before adding anything if one is invalid. */
  add(rules: readonly (string | FaultRule)[]): void {
    const parsed = rules.map((r) => normalizeFaultRule(r));
    for (const rule of parsed) {
      this.rules.push({ rule, rng: createRng(deriveSeed(this.seed, `fault-${this.added++}`)), matched: 0, fired: 0 });
    }
  }

  /** Removes every rule (counters restart with new rules; random streams continue deterministically). */
  clear(): void {
    this.rules = [];
  }

  /** The rules and their counters. */
  list(): FaultRuleStatus[] {
    return this.rules.map((r) => ({ ...r.rule, spec: formatFaultSpec(r.rule), matched: r.matched, fired: r.fired }));
  }

  /** The fault for one request of class `op` (first firing rule wins), or null. Counts every matching rule (see `faultApplies`). */
  decide(op: RequestOp): FaultKind | null {
    let chosen: FaultKind | null = null;
    for (const r of this.rules) {
      if ((r.rule.op !== 'any' && r.rule.op !== op) || !faultApplies(r.rule.kind, op)) continue;
      r.matched++;
      let fire: boolean;
      if (r.rule.nth !== undefined) fire = r.matched === r.rule.nth;
      else {
        const p = r.rule.probability ?? 1;
        fire = p >= 1 ? true : r.rng.next() < p;
      }
      if (fire && chosen === null) {
        r.fired++;
        chosen = r.rule.kind;
      }
    }
    return chosen;
  }
}
