// Word lists for plausible, deterministic company and person names.
import type { Persona } from './types.js';

export const COMPANY_PREFIXES = [
  'North', 'Blue', 'Bright', 'Silver', 'Iron', 'Clear', 'Red', 'Summit', 'Harbor', 'Granite',
  'Maple', 'Cedar', 'Atlas', 'Nova', 'Vector', 'Pioneer', 'Quantum', 'Sterling', 'Evergreen', 'Apex',
];
export const COMPANY_CORES = [
  'wind', 'stone', 'field', 'bridge', 'point', 'path', 'wave', 'light', 'line', 'peak',
  'gate', 'works', 'forge', 'loop', 'scale', 'craft', 'grid', 'leaf', 'river', 'spark',
];
export const COMPANY_SUFFIXES = ['Labs', 'Systems', 'Group', 'Health', 'Capital', 'Analytics', 'Partners', 'Software', 'Industries', 'Learning'];

export const FIRST_NAMES = [
  'Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
  'Kara', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Ravi', 'Sofia', 'Tomas',
  'Uma', 'Victor', 'Wen', 'Ximena', 'Yusuf', 'Zoe',
];
export const LAST_NAMES = [
  'Garcia', 'Smith', 'Nguyen', 'Mueller', 'Rossi', 'Kowalski', 'Tanaka', 'Okafor', 'Silva', 'Dubois',
  'Johansson', 'Patel', 'Cohen', 'Novak', 'Larsen', 'Moreau', 'Ivanova', 'Khan', 'Brown', 'Lopez',
];

export const TITLES: Record<Persona, readonly string[]> = {
  economic_buyer: ['VP Marketing', 'Chief Revenue Officer', 'CFO', 'CMO'],
  champion: ['Director of Demand Generation', 'Marketing Operations Manager', 'Head of Growth'],
  technical_evaluator: ['Solutions Architect', 'Head of Data', 'IT Manager', 'RevOps Engineer'],
  end_user: ['Marketing Specialist', 'Content Marketer', 'SDR', 'Campaign Manager'],
};
