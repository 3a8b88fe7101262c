// The answer rate of a policy's treatments over time: over a trailing week, the hidden answer
// chances of its treatments summed, divided by the treatments (responses without the luck of
// the draws; 10 treatments a day give too few responses to read a realized rate). null for a week
// without treatments (0/0 is no rate).
export const ANSWER_RATE_WINDOW_DAYS = 7;

/** `daily`: cumulative treatments and summed answer chances after each day */
export function rollingAnswerRate(daily: readonly { treatments: number; expectedResponses: number }[], window = ANSWER_RATE_WINDOW_DAYS): (number | null)[] {
  return daily.map((d, i) => {
    const from = i - window >= 0 ? daily[i - window]! : { treatments: 0, expectedResponses: 0 };
    const treatments = d.treatments - from.treatments;
    return treatments > 0 ? (d.expectedResponses - from.expectedResponses) / treatments : null;
  });
}
