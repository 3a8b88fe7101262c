// The scenario's per segment × persona overrides of the response model (`response.overrides`) and
// the drift events that change the same parameters on a day (channel lift, best hour, topic
// affinity). Applied on top of what the model drew from the seed, so that a scenario without
// overrides draws, and simulates, exactly what it did before they existed.
import { CHANNELS, PERSONAS, SIZES, type ResponseOverride, type Scenario, type SegmentTarget } from './scenario-schema.js';
import type { ResponseModel } from './response-model.js';

const P = PERSONAS.length;
const C = CHANNELS.length;

/** calls `fn(segment, persona)` for every segment × persona the target matches */
export function forTarget(scenario: Scenario, target: SegmentTarget, fn: (segment: number, persona: number) => void): void {
  const industry = target.industry === undefined ? -1 : scenario.industries.findIndex((x) => x.name === target.industry);
  const size = target.size === undefined ? -1 : SIZES.indexOf(target.size);
  const persona = target.persona === undefined ? -1 : PERSONAS.indexOf(target.persona);
  for (let i = 0; i < scenario.industries.length; i++) {
    if (industry >= 0 && i !== industry) continue;
    for (let z = 0; z < SIZES.length; z++) {
      if (size >= 0 && z !== size) continue;
      for (let p = 0; p < P; p++) if (persona < 0 || p === persona) fn(i * SIZES.length + z, p);
    }
  }
}

export function setChannelLift(model: ResponseModel, segment: number, persona: number, channel: number, lift: number): void {
  model.lift[(segment * P + persona) * C + channel] = lift;
}

export function setBestHour(model: ResponseModel, segment: number, persona: number, hour: number): void {
  model.bestHour[segment * P + persona] = hour;
}

export function setTopicAffinity(model: ResponseModel, segment: number, persona: number, topic: number, affinity: number): void {
  model.topicAffinity[(segment * P + persona) * model.topics + topic] = affinity;
}

function applyOne(model: ResponseModel, scenario: Scenario, o: ResponseOverride): void {
  forTarget(scenario, o, (s, p) => {
    const sp = s * P + p;
    if (o.channelLift) CHANNELS.forEach((c, k) => {
      const lift = o.channelLift?.[c];
      if (lift !== undefined) setChannelLift(model, s, p, k, lift);
    });
    if (o.bestHour !== undefined) setBestHour(model, s, p, o.bestHour);
    if (o.hourWidth !== undefined) model.hourWidth[sp] = o.hourWidth;
    if (o.fatigueK !== undefined) model.fatigueK[sp] = o.fatigueK;
    for (const [topic, affinity] of Object.entries(o.topicAffinity ?? {})) setTopicAffinity(model, s, p, scenario.topics.indexOf(topic), affinity);
  });
}

/** applies `response.overrides` in order (a later one wins on the fields it sets) */
export function applyResponseOverrides(model: ResponseModel, scenario: Scenario): void {
  for (const o of scenario.response.overrides ?? []) applyOne(model, scenario, o);
}

/**
 * Per segment (industry × size) values of a per-account field: the scenario's value, replaced by
 * each override without persona that sets `field` and matches the segment.
 */
export function segmentValues(scenario: Scenario, base: (size: number) => number, field: 'fatigueHalfLifeDays' | 'cycleScale'): Float64Array {
  const out = new Float64Array(scenario.industries.length * SIZES.length);
  for (let s = 0; s < out.length; s++) out[s] = base(s % SIZES.length);
  for (const o of scenario.response.overrides ?? []) {
    const value = o[field];
    if (value === undefined || o.persona !== undefined) continue;
    forTarget(scenario, { ...o, persona: PERSONAS[0] }, (s) => (out[s] = value));
  }
  return out;
}
