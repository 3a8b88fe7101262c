// The policies an off-policy evaluation can compare with the one that made the logged choices.
// Each picks a channel per logged decision; the send hour stays the logged one (the channel and
// hour samplers draw independently, so the hour's chance cancels out of the weights).
import { RevloopError } from '../errors.js';
import { channels, type Channel, type ChannelChances } from '../workflow/tasks.js';
import type { LoggedChoice } from './logged-choices.js';

export interface Candidate {
  name: string;
  /** what the policy does, for a person */
  description: string;
  /** the logging policy itself: its value is the mean answer rate, with weight 1 everywhere */
  logged?: true;
  /** chosen with the answers it is scored on: its estimate leans high (say so beside it) */
  optimistic?: true;
  /** the channel the policy sends for each logged choice (undefined: the policy cannot say) */
  choose?: (choices: readonly LoggedChoice[]) => (Channel | undefined)[];
  /** a stochastic policy worked out from the log (a model replayed with other settings): its chances per logged choice */
  replay?: (choices: readonly LoggedChoice[]) => Promise<(ChannelChances | undefined)[]>;
  /** the replay's chances, once worked out (evaluateOffPolicy fills it in) */
  chances?: (ChannelChances | undefined)[];
}

const fixed = (channel: Channel): Candidate => ({
  name: channel,
  description: `always ${channel.replace('_', ' ')}`,
  choose: (list) => list.map(() => channel),
});

/** the most likely channel of a logged distribution of chances */
function likeliest(chances: Partial<Record<Channel, number>> | undefined): Channel | undefined {
  let best: Channel | undefined;
  for (const c of channels) if (chances?.[c] !== undefined && (best === undefined || chances[c]! > chances[best]!)) best = c;
  return best;
}

export const candidates: Record<string, Candidate> = {
  logged: { name: 'logged', description: 'the model as it decided (sampling)', logged: true },
  ...Object.fromEntries(channels.map((c) => [c, fixed(c)])),
  rules: {
    name: 'rules',
    description: 'rules: a form fill in the feature window → sales task, otherwise email',
    // the rules baseline's channel mapping (its 9 am / 10 am hours are left to the logged hours)
    choose: (list) => list.map((x) => ((x.counts.form_fill ?? 0) > 0 ? 'sales_task' : 'email')),
  },
  greedy: {
    name: 'greedy',
    description: "the model's most likely channel at each decision (no exploration)",
    choose: (list) => list.map((x) => likeliest(x.channelChances)),
  },
  'final-greedy': {
    name: 'final-greedy',
    description: "the model's most likely channel per segment × persona at the window's end",
    optimistic: true,
    choose(list) {
      // the newest logged chances of each context stand for the model's final state there
      const newest = new Map<string, LoggedChoice>();
      for (const x of list) if (x.channelChances && (newest.get(x.context)?.at ?? -Infinity) <= x.at) newest.set(x.context, x);
      return list.map((x) => likeliest(newest.get(x.context)?.channelChances));
    },
  },
};

export const defaultCandidates = Object.keys(candidates);

/** the candidates named in a comma-separated list (refused with the known names when one is unknown) */
export function parseCandidates(list: string | undefined, where = '--candidates'): Candidate[] {
  if (list === undefined || !list.trim()) return defaultCandidates.map((n) => candidates[n]!);
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !candidates[n]);
  if (unknown.length) {
    throw new RevloopError('BAD_ARGUMENT', `unknown candidate policy ${unknown.map((n) => `"${n}"`).join(', ')}`, {
      where,
      fix: `name candidates from: ${defaultCandidates.join(', ')} (e.g. ${where} logged,email,greedy)`,
      kind: 'bad_input',
    });
  }
  return [...new Set(names)].map((n) => candidates[n]!);
}
