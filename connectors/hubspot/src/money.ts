// Money at the edge: HubSpot's amount is a decimal string; the unified model keeps integer micros.
export function toMicros(amount: string | null | undefined): number | null {
  if (amount === null || amount === undefined || amount.trim() === '') return null;
  const m = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(amount);
  if (!m) {
    const n = Number(amount);
    if (!Number.isFinite(n)) throw new Error(`amount "${amount}" is not a number`);
    return Math.round(n * 1e6);
  }
  // exact decimal → micros (no binary float error), rounded half up on the 7th decimal
  const [, sign, int = '', frac = ''] = m;
  const digits = (frac + '0000000').slice(0, 7);
  const micros = Number(int || '0') * 1e6 + Math.floor(Number(digits) / 10) + (Number(digits[6]) >= 5 ? 1 : 0);
  return sign === '-' ? -micros : micros;
}
