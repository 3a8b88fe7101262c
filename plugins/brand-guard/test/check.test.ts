import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRuntime, parseConfig, SimulatedClock, type BrandOutput, type MessageOutput } from '@revloop/core';
import { brandGuard, brandPolicySchema, checkBrand, type BrandPolicy } from '../src/index.js';

const policy = brandPolicySchema.parse({
  bannedClaims: ['guaranteed', 'risk-free', 'best in the world', '#1'],
  requiredDisclaimers: [
    { text: 'Not investment advice.', industries: ['fintech', 'banking'] },
    { text: 'Terms apply.', offersOnly: true },
  ],
  maxSubjectLength: 40,
  maxBodyLength: 200,
  toneWords: { avoid: ['cheap', 'act now'] },
});
const msg = (body: string, subject = 'Hello', offer = false): MessageOutput => ({ subject, body, offer });
const software = { industry: 'software', size: 'mid' };

describe('checkBrand', () => {
  it('passes a clean message', () => {
    expect(checkBrand(policy, msg('A short note on pipeline quality.'), software)).toEqual({ pass: true, reasons: [] });
  });

  it('refuses banned claims case-insensitively, on whole words only, and says where', () => {
    const r = checkBrand(policy, msg('Results GUARANTEED.', 'The #1 choice'), software);
    expect(r.pass).toBe(false);
    expect(r.reasons).toEqual(['banned-claim: "guaranteed" in body', 'banned-claim: "#1" in subject']);
    // word boundaries: "unguaranteed", "#10" and "risk-freedom" are other words
    expect(checkBrand(policy, msg('unguaranteed #10 risk-freedom'), software).pass).toBe(true);
    expect(checkBrand(policy, msg('A Risk-Free trial'), software).reasons).toEqual(['banned-claim: "risk-free" in body']);
    expect(checkBrand(policy, msg('the best   in the\nworld'), software).reasons).toEqual(['banned-claim: "best in the world" in body']);
  });

  it('requires the disclaimer of a regulated industry and of offers', () => {
    const r = checkBrand(policy, msg('A note on forecasting.', 'Hi', true), { industry: 'fintech', size: 'smb' });
    expect(r.reasons).toEqual(['required-disclaimer: missing "Not investment advice." (industry fintech)', 'required-disclaimer: missing "Terms apply." (offer)']);
    expect(checkBrand(policy, msg('A note.\n\nnot investment  advice.\nTerms apply.', 'Hi', true), { industry: 'fintech', size: 'smb' }).pass).toBe(true);
    expect(checkBrand(policy, msg('A note.'), software).pass).toBe(true);
  });

  it('enforces length limits with the measured length', () => {
    const r = checkBrand(policy, msg('x'.repeat(201), 's'.repeat(41)), software);
    expect(r.reasons).toEqual(['max-length: subject has 41 characters, the limit is 40', 'max-length: body has 201 characters, the limit is 200']);
  });

  it('flags tone words', () => {
    expect(checkBrand(policy, msg('Cheap seats, act NOW'), software).reasons).toEqual(['tone: avoid "cheap"', 'tone: avoid "act now"']);
  });

  it('a config with an unknown key is refused (strict)', () => {
    expect(() => brandPolicySchema.parse({ bannedClaim: ['x'] })).toThrow();
  });
});

describe('evaluate/brand plugin', () => {
  it('runs through the runtime with the policy from config, free', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revloop-brand-'));
    try {
      const loaded = parseConfig({ store: { kind: 'sqlite', path: join(dir, 'db.sqlite') }, log: { level: 'silent' }, models: { brand: { plugin: brandGuard, bannedClaims: ['guaranteed'], maxSubjectLength: 90, maxBodyLength: 1200 } } }, { env: {}, baseDir: dir });
      const runtime = await createRuntime(loaded, { clock: new SimulatedClock(0) });
      const ctx = runtime.contextFor<BrandPolicy>(runtime.registry.models.get('brand')!);
      const cap = brandGuard.capabilities[0]!;
      expect(cap).toMatchObject({ capability: 'evaluate', task: 'brand', quality: 0.9, costMicros: 0 });
      const r = await cap.invoke(ctx, { features: software, message: msg('Guaranteed payback.') });
      expect(r.output as BrandOutput).toEqual({ pass: false, reasons: ['banned-claim: "guaranteed" in body'] });
      expect(r.costMicros).toBe(0);
      await runtime.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
