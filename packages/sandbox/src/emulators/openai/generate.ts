// Deterministic templated text for non-classification prompts (no language model involved).
// Lines `TOPIC: ...` and `PERSONA: ...` anywhere in the conversation steer the text; otherwise the
// first words of the last user message stand in for the topic.
import { uniformFromKey } from './random.js';

const OPENERS = [
  'Here is a short note on {topic}{forPersona}.',
  'A quick perspective on {topic}{forPersona}.',
  'Thinking about {topic}{forPersona}? Here is what matters.',
];
const BODIES = [
  'Teams that get {topic} right start small, measure what changes, and keep what works.',
  'The fastest path with {topic} is one clear goal, one owner, and a weekly look at the numbers.',
  'Most of the value in {topic} comes from joining the data you already have and acting on it sooner.',
];
const PERSONA_LINES: Record<string, string> = {
  economic_buyer: 'The payoff shows up in cost per opportunity within a quarter.',
  champion: 'You can show your team a working result in the first week.',
  technical_evaluator: 'It runs on your existing stack with a documented API and no lock-in.',
  end_user: 'Day to day it removes the manual steps you repeat every morning.',
};
const CLOSERS = ['Happy to share a two-minute walkthrough.', 'Worth a short call next week?', 'Reply and I will send the details.'];

function field(text: string, name: string): string | undefined {
  return new RegExp(`^\\s*${name}:\\s*(.+?)\\s*$`, 'im').exec(text)?.[1];
}

export function generateText(conversation: string, lastUser: string, key: string): string {
  const topic = field(conversation, 'TOPIC') ?? (lastUser.split(/\s+/).filter(Boolean).slice(0, 6).join(' ') || 'your pipeline');
  const persona = field(conversation, 'PERSONA');
  const pick = (list: string[], salt: string) => list[Math.floor(uniformFromKey(`${key}|${salt}`) * list.length)];
  const fill = (s: string) => s.replaceAll('{topic}', topic).replaceAll('{forPersona}', persona ? ` for the ${persona.replaceAll('_', ' ')}` : '');
  const parts = [fill(pick(OPENERS, 'o')), fill(pick(BODIES, 'b'))];
  if (persona) parts.push(PERSONA_LINES[persona.toLowerCase()] ?? `As a ${persona}, you will see the difference quickly.`);
  parts.push(pick(CLOSERS, 'c'));
  return parts.join(' ');
}
