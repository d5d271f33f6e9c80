// One way to write a duration, for every progress line, summary, estimate and the demo page:
// a clock ("0:42", "1:02:03") for time elapsed or left, where the digits are read as they tick;
// and `approx` for estimates that can run to days or years ("110 min", "2.7 h", "3 days"), where
// only two significant digits mean anything.

/** Two significant digits, never in exponent form (toPrecision(2) writes 110 as "1.1e+2"). */
const twoDigits = (x: number): string => (x >= 100 ? Math.round(x / 10) * 10 : Number(x.toPrecision(2))).toString();

export function formatDuration(ms: number, style: 'clock' | 'approx' = 'clock'): string {
  if (style === 'approx') {
    const s = ms / 1000;
    if (s < 120) return `${twoDigits(s)} s`;
    if (s < 2 * 3600) return `${twoDigits(s / 60)} min`;
    if (s < 2 * 86400) return `${twoDigits(s / 3600)} h`;
    if (s < 2 * 365 * 86400) return `${twoDigits(s / 86400)} days`;
    return `${twoDigits(s / (365 * 86400))} years`;
  }
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  return h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`
    : `${m}:${String(sec).padStart(2, '0')}`;
}
