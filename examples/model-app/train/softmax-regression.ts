// Multinomial logistic regression on standardised features, trained by full-batch gradient descent.
// Full-batch descent from zero weights has no randomness: the same data gives the same weights.
import type { Dataset } from './iris-dataset.js';

export interface TrainingOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
}

export interface SoftmaxModel {
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  /** weights[feature][class] */
  readonly weights: readonly (readonly number[])[];
  readonly bias: readonly number[];
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 2000, learningRate: 0.1, l2: 1e-4 };

function at<T>(values: readonly T[], index: number): T {
  const value = values[index];
  if (value === undefined) throw new Error(`Index ${index} is out of range (length ${values.length}).`);
  return value;
}

export function standardiser(features: readonly (readonly number[])[]): { mean: number[]; scale: number[] } {
  const width = at(features, 0).length;
  const mean = Array.from({ length: width }, (_, j) => features.reduce((s, row) => s + at(row, j), 0) / features.length);
  const scale = mean.map((m, j) => {
    const variance = features.reduce((s, row) => s + (at(row, j) - m) ** 2, 0) / features.length;
    return Math.sqrt(variance) || 1;
  });
  return { mean, scale };
}

export function probabilities(model: SoftmaxModel, row: readonly number[]): number[] {
  const x = row.map((v, j) => (v - at(model.mean, j)) / at(model.scale, j));
  const logits = model.bias.map((b, k) => x.reduce((s, xj, j) => s + xj * at(at(model.weights, j), k), b));
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / sum);
}

export function predict(model: SoftmaxModel, row: readonly number[]): number {
  const p = probabilities(model, row);
  return p.indexOf(Math.max(...p));
}

export function accuracy(model: SoftmaxModel, data: Dataset): number {
  const correct = data.features.filter((row, i) => predict(model, row) === at(data.labels, i)).length;
  return correct / data.features.length;
}

export function train(data: Dataset, classCount: number, options: TrainingOptions = DEFAULT_TRAINING): SoftmaxModel {
  const { mean, scale } = standardiser(data.features);
  const xs = data.features.map((row) => row.map((v, j) => (v - at(mean, j)) / at(scale, j)));
  const width = mean.length;
  const weights = Array.from({ length: width }, () => new Array<number>(classCount).fill(0));
  const bias = new Array<number>(classCount).fill(0);
  const n = xs.length;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const gradW = Array.from({ length: width }, () => new Array<number>(classCount).fill(0));
    const gradB = new Array<number>(classCount).fill(0);
    const model: SoftmaxModel = { mean: new Array<number>(width).fill(0), scale: new Array<number>(width).fill(1), weights, bias };
    xs.forEach((x, i) => {
      const p = probabilities(model, x);
      const label = at(data.labels, i);
      p.forEach((pk, k) => {
        const error = pk - (k === label ? 1 : 0);
        gradB[k] = at(gradB, k) + error / n;
        x.forEach((xj, j) => {
          const row = at(gradW, j);
          row[k] = at(row, k) + (error * xj) / n;
        });
      });
    });
    weights.forEach((row, j) => {
      row.forEach((w, k) => {
        row[k] = w - options.learningRate * (at(at(gradW, j), k) + options.l2 * w);
      });
    });
    bias.forEach((b, k) => {
      bias[k] = b - options.learningRate * at(gradB, k);
    });
  }
  return { mean, scale, weights, bias };
}

/** A small seeded generator (mulberry32) so that the cross-validation folds are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stratified k-fold cross-validation: the mean held-out accuracy. */
export function crossValidate(data: Dataset, classCount: number, folds: number, seed: number, options: TrainingOptions = DEFAULT_TRAINING): number {
  const random = seededRandom(seed);
  const foldOf = new Array<number>(data.labels.length).fill(0);
  for (let k = 0; k < classCount; k++) {
    const members = data.labels.flatMap((label, i) => (label === k ? [i] : []));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [at(members, j), at(members, i)];
    }
    members.forEach((row, position) => {
      foldOf[row] = position % folds;
    });
  }
  let total = 0;
  for (let fold = 0; fold < folds; fold++) {
    const pick = (held: boolean): Dataset => {
      const rows = foldOf.flatMap((f, i) => ((f === fold) === held ? [i] : []));
      return { features: rows.map((i) => at(data.features, i)), labels: rows.map((i) => at(data.labels, i)) };
    };
    total += accuracy(train(pick(false), classCount, options), pick(true));
  }
  return total / folds;
}
