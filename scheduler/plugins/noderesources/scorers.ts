/**
 * Resource scoring strategies (upstream resource_allocation.go, least/most_allocated.go,
 * requested_to_capacity_ratio.go, balanced_allocation.go): pure functions of the requested
 * and allocatable amounts per configured resource. Integer arithmetic truncates like Go.
 */
import { MAX_NODE_SCORE } from '../../framework/index.ts';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** A point of the RequestedToCapacityRatio shape: utilization 0–100 → score 0–10. */
export interface ShapePoint {
  utilization: number;
  score: number;
}

export type Scorer = (requested: readonly number[], allocatable: readonly number[]) => number;

const div = (a: number, b: number) => Math.trunc(a / b);

function weighted(resources: readonly ResourceSpec[], perResource: (req: number, alloc: number) => number): Scorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const w = resources[i]!.weight;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * w;
      weightSum += w;
    }
    return weightSum === 0 ? 0 : div(nodeScore, weightSum);
  };
}

/** Prefers emptier nodes: (capacity − requested) × 100 / capacity. */
export function leastAllocatedScorer(resources: readonly ResourceSpec[]): Scorer {
  return weighted(resources, (req, cap) => (cap === 0 || req > cap ? 0 : div((cap - req) * MAX_NODE_SCORE, cap)));
}

/** Prefers fuller nodes: requested × 100 / capacity. */
export function mostAllocatedScorer(resources: readonly ResourceSpec[]): Scorer {
  return weighted(resources, (req, cap) => (cap === 0 ? 0 : div(Math.min(req, cap) * MAX_NODE_SCORE, cap)));
}

/** Upstream helper.BuildBrokenLinearFunction over (utilization, score) points. */
export function brokenLinear(shape: readonly ShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + div((b.score - a.score) * (p - a.utilization), b.utilization - a.utilization);
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

/** RequestedToCapacityRatio with a user shape (scores 0–10 scaled to 0–100); rounded mean of positive scores. */
export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly ShapePoint[]): Scorer {
  const fn = brokenLinear(shape.map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / 10) })));
  const perResource = (req: number, cap: number) => (cap === 0 || req > cap ? fn(100) : fn(div(req * 100, cap)));
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const s = perResource(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * resources[i]!.weight;
        weightSum += resources[i]!.weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}

/** Balanced allocation: (1 − standard deviation of the requested/allocatable fractions) × 100. */
export const balancedScorer: Scorer = (requested, allocatable) => {
  // Two passes over the resources instead of an array of fractions: this runs for every scored node.
  let n = 0;
  let total = 0;
  let first = 0;
  let second = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    if (n === 0) first = f;
    else if (n === 1) second = f;
    total += f;
    n++;
  }
  let std = 0;
  if (n === 2) std = Math.abs((first - second) / 2);
  else if (n > 2) {
    const mean = total / n;
    let squares = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const d = Math.min(requested[i]! / allocatable[i]!, 1) - mean;
      squares += d * d;
    }
    std = Math.sqrt(squares / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
};
