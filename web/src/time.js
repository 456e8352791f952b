// Protocol times: RFC 3339 UTC with Z and whole seconds, held as Unix seconds (numbers).

const TIME = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;

/**
 * Unix seconds of `YYYY-MM-DDTHH:MM:SSZ` (years 0001–9999, a real calendar date).
 * Throws TypeError naming `what` otherwise (sdk parse_time).
 */
export function parseTime(text, what) {
  const m = typeof text === "string" ? TIME.exec(text) : null;
  if (m === null) throw new TypeError(`${what} must be RFC 3339 UTC 'YYYY-MM-DDTHH:MM:SSZ', got ${text}`);
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const ok =
    year >= 1 &&
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    d.getUTCHours() === hour &&
    d.getUTCMinutes() === minute &&
    d.getUTCSeconds() === second;
  if (!ok) throw new TypeError(`${what} is not a valid time: ${text}`);
  return d.getTime() / 1000;
}

/** Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: Python's datetime range. */
export const MIN_TIME = -62135596800;
export const MAX_TIME = 253402300799;

/**
 * `YYYY-MM-DDTHH:MM:SSZ` of Unix seconds (whole seconds; sdk format_time). Throws
 * RangeError outside years 1–9999, where Python's datetime cannot hold the time either.
 */
export function formatTime(seconds) {
  const n = Number(seconds);
  if (!(n >= MIN_TIME && n <= MAX_TIME)) throw new RangeError(`time ${seconds} is out of range (years 1-9999)`);
  const d = new Date(n * 1000);
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}` +
    `T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}Z`
  );
}
