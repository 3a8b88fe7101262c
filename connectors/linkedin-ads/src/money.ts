// Money in revloop is integer micros. LinkedIn sends money as decimal STRINGS
// (costInLocalCurrency "12.345678", dailyBudget.amount "50.00"): they are converted with string
// arithmetic, never through a float, so that "0.1" + "0.2" is exactly 300000 micros.

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/** "12.3456789" → 12345679 (half-up at the 7th decimal); throws on anything but a plain decimal */
export function decimalToMicros(text: string): number {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a decimal amount`);
  const [, sign, whole, frac = ''] = m;
  let micros = BigInt(whole!) * 1_000_000n + BigInt((frac.slice(0, 6) || '0').padEnd(6, '0'));
  if (frac.length > 6 && frac[6]! >= '5') micros += 1n;
  const n = Number(sign ? -micros : micros);
  if (!Number.isSafeInteger(n)) throw new Error(`"${text}" is too large to hold as micros`);
  return n;
}

/** 12345678 → "12.345678", 50000000 → "50" (what LinkedIn accepts as an amount) */
export function microsToDecimal(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new Error(`${micros} is not an integer amount of micros`);
  const sign = micros < 0 ? '-' : '';
  const abs = BigInt(Math.abs(micros));
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}
