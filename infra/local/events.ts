/**
 * The slice of EventBridge the local stack needs: rules on the default bus whose targets are
 * functions, matched with EventBridge's event-pattern rules, each matching event invoked on its
 * targets asynchronously, as EventBridge invokes Lambda.
 */
export interface EventRule {
  /** The rule's logical id. */
  name: string;
  pattern: Record<string, unknown>;
  targets: EventTarget[];
}

export interface EventTarget {
  functionName: string;
  /** A constant JSON input instead of the event (the target's Input). */
  input?: unknown;
  /** A JSON path into the event (the target's InputPath), e.g. `$.detail`. */
  inputPath?: string;
}

export interface AwsEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** Whether an event matches an EventBridge event pattern (values, prefix, suffix, anything-but, exists, numeric, equals-ignore-case). */
export function matchesPattern(pattern: Record<string, unknown>, event: unknown): boolean {
  const fields = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (Array.isArray(expected)) return expected.some((rule) => matchesValue(rule, actual));
    if (expected !== null && typeof expected === 'object') return matchesPattern(expected as Record<string, unknown>, actual);
    return false; // patterns list their values in arrays
  });
}

function matchesValue(rule: unknown, actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  if (rule === null || typeof rule !== 'object') return actual !== undefined && values.some((v) => v === rule);
  const [operator, arg] = Object.entries(rule as Record<string, unknown>)[0] ?? [];
  const strings = values.filter((v): v is string => typeof v === 'string');
  switch (operator) {
    case 'exists':
      return (actual !== undefined) === arg;
    case 'prefix':
      return strings.some((v) => v.startsWith(String(arg)));
    case 'suffix':
      return strings.some((v) => v.endsWith(String(arg)));
    case 'equals-ignore-case':
      return strings.some((v) => v.toLowerCase() === String(arg).toLowerCase());
    case 'anything-but': {
      if (actual === undefined) return false;
      if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) return !matchesValue(arg, actual);
      const banned = Array.isArray(arg) ? arg : [arg];
      return values.every((v) => !banned.includes(v));
    }
    case 'numeric': {
      const conditions = Array.isArray(arg) ? arg : [];
      const compare: Record<string, (a: number, b: number) => boolean> = {
        '=': (a, b) => a === b,
        '<': (a, b) => a < b,
        '<=': (a, b) => a <= b,
        '>': (a, b) => a > b,
        '>=': (a, b) => a >= b,
      };
      return values.some(
        (v) => typeof v === 'number' && conditions.every((c, i) => i % 2 === 1 || (compare[String(c)]?.(v, Number(conditions[i + 1])) ?? false)),
      );
    }
    default:
      return false;
  }
}

/** A target's input: its constant Input, the part of the event its InputPath selects, or the event. */
function inputOf(target: EventTarget, event: AwsEvent): unknown {
  if (target.input !== undefined) return target.input;
  if (!target.inputPath || target.inputPath === '$') return event;
  let value: unknown = event;
  for (const key of target.inputPath.replace(/^\$\.?/, '').split('.'))
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

/** The default event bus: `publish` invokes every target of every rule the event matches. */
export function localEventBus(rules: readonly EventRule[], invokeAsync: (functionName: string, payload: unknown) => void) {
  return {
    publish(event: AwsEvent): void {
      for (const rule of rules) {
        if (!matchesPattern(rule.pattern, event)) continue;
        for (const target of rule.targets) {
          try {
            invokeAsync(target.functionName, inputOf(target, event));
          } catch (e) {
            console.error(`local events: rule ${rule.name} → ${target.functionName}:`, e);
          }
        }
      }
    },
  };
}
