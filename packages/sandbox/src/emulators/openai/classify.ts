// Classification protocol: the LAST user message contains a line
//   ITEM: {"item_id":"acc_000042","labels":["high","low"]}
// The reply is the chosen label (or {"label","confidence"} with response_format json_object).
// With a labelOracle the model is right with probability accuracy(model, difficulty), drawn
// deterministically from seed + model + item + how many times this model was asked about the item;
// a wrong answer is another label. Without an oracle (or for an item it does not know) the answer is a
// stable guess: labels[hash(item) % labels.length] with confidence 1/labels.length.
import { z } from 'zod';
import { accuracy, type SimModel } from './models.js';
import { uniformFromKey } from './random.js';

export type LabelOracle = (itemId: string) => { label: string; difficulty: number } | undefined;

const itemSchema = z.object({
  item_id: z.string().min(1),
  labels: z.array(z.string().min(1)).min(1).optional(),
});
export type ClassifyItem = { itemId: string; labels: string[] };

const DEFAULT_LABELS = ['yes', 'no'];

export function findItem(text: string): ClassifyItem | undefined {
  const line = /^\s*ITEM:\s*(\{.*\})\s*$/m.exec(text);
  if (!line) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line[1]);
  } catch {
    return undefined;
  }
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  return { itemId: parsed.data.item_id, labels: parsed.data.labels ?? DEFAULT_LABELS };
}

export interface ClassifyAnswer {
  label: string;
  confidence: number;
  correct: boolean | undefined; // undefined when there is no ground truth
}

export class Classifier {
  private readonly asked = new Map<string, number>();

  constructor(
    private readonly seed: number,
    private readonly oracle?: LabelOracle,
  ) {}

  answer(model: SimModel, item: ClassifyItem): ClassifyAnswer {
    const key = `${model.id}|${item.itemId}`;
    const n = (this.asked.get(key) ?? 0) + 1;
    this.asked.set(key, n);
    const truth = this.oracle?.(item.itemId);
    if (!truth) {
      const guess = item.labels[Math.floor(uniformFromKey(`${this.seed}|guess|${item.itemId}`) * item.labels.length)];
      return { label: guess, confidence: round(1 / item.labels.length), correct: undefined };
    }
    const p = accuracy(model, truth.difficulty);
    const right = uniformFromKey(`${this.seed}|${key}|${n}`) < p;
    const confidence = round(p);
    if (right) return { label: truth.label, confidence, correct: true };
    const others = item.labels.filter((l) => l !== truth.label);
    if (others.length === 0) return { label: 'unknown', confidence, correct: false };
    const wrong = others[Math.floor(uniformFromKey(`${this.seed}|${key}|${n}|wrong`) * others.length)];
    return { label: wrong, confidence, correct: false };
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
