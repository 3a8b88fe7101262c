// The sample data the starter config syncs: ~50 accounts and ~300 contacts in the reference
// connector's JSON-lines format, with a few archived accounts, contact tombstones and merges.
// Generated from a fixed seed so that `revloop init` can write it anywhere (the committed
// examples/data folder is exactly this output; a test keeps the two equal).
import { seededRandom as rng } from '@revloop/core';

export interface SampleData {
  'accounts.jsonl': string;
  'contacts.jsonl': string;
}

const industries = ['software', 'fintech', 'healthcare', 'manufacturing', 'retail', 'logistics', 'education', 'media'];
const words = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Gringotts', 'Oscorp', 'Aperture', 'Massive', 'Dynamic', 'Pied', 'Monarch', 'Nakatomi', 'Virtucon', 'Gekko', 'Sirius', 'Bluth', 'Prestige'];
const suffixes = ['Labs', 'Systems', 'Group', 'Works', 'Analytics', 'Health', 'Logistics', 'Capital'];
const firstNames = ['Ana', 'Ben', 'Chloe', 'Dev', 'Elif', 'Femi', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kira', 'Luis', 'Maya', 'Nico', 'Olga', 'Priya', 'Quinn', 'Ravi', 'Sara', 'Tom', 'Uma', 'Victor', 'Wen', 'Yara', 'Zoe'];
const lastNames = ['Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kim', 'Lopez', 'Moreau', 'Nowak', 'Okafor', 'Patel', 'Rossi', 'Silva', 'Tanaka', 'Weber'];
const titles = ['VP Marketing', 'Marketing Ops Manager', 'Demand Gen Lead', 'CMO', 'Content Strategist', 'RevOps Analyst', 'Head of Growth', 'Sales Director', 'Product Marketing Manager', 'Analyst'];

const BASE = Date.UTC(2025, 0, 1); // a fixed epoch: sample data, not the clock
const MINUTE = 60_000;

export function sampleData(seed = 7, accountCount = 50, contactCount = 300): SampleData {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const accounts: object[] = [];
  const domains: string[] = [];
  for (let i = 1; i <= accountCount; i++) {
    const name = `${words[(i - 1) % words.length]} ${suffixes[Math.floor((i - 1) / words.length) % suffixes.length]}`;
    const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`;
    domains.push(domain);
    accounts.push({
      id: `a${String(i).padStart(3, '0')}`,
      updatedAt: BASE + i * MINUTE,
      name,
      domain,
      industry: pick(industries),
      employees: 20 + Math.floor(r() * 5000),
      ...(i % 10 === 0 ? { tier: 'enterprise' } : {}),
      // two accounts are archived in the source
      ...(i === 17 || i === 42 ? { deleted: true } : {}),
    });
  }
  const contacts: object[] = [];
  let t = BASE + 1000 * MINUTE;
  const person = (n: number) => {
    const first = pick(firstNames);
    const last = pick(lastNames);
    const account = 1 + Math.floor(r() * accountCount);
    return { first, last, account, email: `${first}.${last}${n}@${domains[account - 1]}`.toLowerCase() };
  };
  const people: ReturnType<typeof person>[] = [];
  for (let n = 1; n <= contactCount; n++) {
    const p = person(n);
    people.push(p);
    contacts.push({
      id: `c${String(n).padStart(4, '0')}`,
      updatedAt: (t += MINUTE * (r() < 0.2 ? 0 : 1)), // some records share an updatedAt (cursor ties)
      email: n % 37 === 0 ? p.email.toUpperCase() : p.email,
      firstName: p.first,
      lastName: p.last,
      title: pick(titles),
      accountId: `a${String(p.account).padStart(3, '0')}`,
    });
  }
  // three duplicates created later (same person, another id), then merged into the original
  const dupes = [12, 85, 230].filter((n) => n <= contactCount);
  dupes.forEach((n, i) => {
    const p = people[n - 1]!;
    contacts.push({ id: `c${String(contactCount + 1 + i).padStart(4, '0')}`, updatedAt: (t += MINUTE), email: `${p.first}.${p.last}@${domains[p.account - 1]}`.toLowerCase(), firstName: p.first, lastName: p.last, accountId: `a${String(p.account).padStart(3, '0')}` });
  });
  // four contacts deleted in the source (tombstones), after everything above
  for (const n of [5, 66, 150, 299].filter((k) => k <= contactCount)) {
    contacts.push({ id: `c${String(n).padStart(4, '0')}`, updatedAt: (t += MINUTE), deleted: true });
  }
  dupes.forEach((n, i) => {
    contacts.push({ id: `c${String(contactCount + 1 + i).padStart(4, '0')}`, updatedAt: (t += MINUTE), mergedInto: `c${String(n).padStart(4, '0')}` });
  });
  const lines = (xs: object[]) => xs.map((x) => JSON.stringify(x)).join('\n') + '\n';
  return { 'accounts.jsonl': lines(accounts), 'contacts.jsonl': lines(contacts) };
}
