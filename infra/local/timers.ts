/** Node fires a setTimeout longer than this at once (with a warning): longer waits must be chained. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fn` after `ms`, however long that is (a year-long Step Functions timeout included),
 * in steps Node can time. Returns a function that cancels it.
 */
export function after(ms: number, fn: () => void): () => void {
  const due = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const step = () => {
    const left = due - Date.now();
    if (left <= 0) return fn();
    timer = setTimeout(step, Math.min(left, MAX_TIMER_MS));
  };
  timer = setTimeout(step, Math.min(Math.max(ms, 0), MAX_TIMER_MS));
  return () => clearTimeout(timer);
}
