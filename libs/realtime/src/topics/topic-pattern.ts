import { RealtimeRegistrationError } from '../realtime.errors';

/** What a topic string may look like: short, colon-separated, URL- and Redis-key-safe. */
export const TOPIC_MAX_LENGTH = 200;
const TOPIC_SHAPE = /^[A-Za-z0-9._-]+(?::[A-Za-z0-9._-]+)*$/;
const LITERAL = /^[a-z][a-z0-9_-]*$/;
const PARAM = /^\{([a-zA-Z][a-zA-Z0-9]*)\}$/;

type Segment = { literal: string } | { param: string };

export interface CompiledPattern {
  pattern: string;
  segments: Segment[];
}

export function isWellFormedTopic(topic: unknown): topic is string {
  return typeof topic === 'string' && topic.length > 0 && topic.length <= TOPIC_MAX_LENGTH && TOPIC_SHAPE.test(topic);
}

export function compilePattern(pattern: string): CompiledPattern {
  const parts = pattern.split(':');
  const segments = parts.map((part): Segment => {
    const param = PARAM.exec(part);
    if (param) return { param: param[1] };
    if (LITERAL.test(part)) return { literal: part };
    throw new RealtimeRegistrationError(`Topic pattern "${pattern}": "${part}" is neither a literal (${LITERAL}) nor a {param}`);
  });
  if (!('literal' in segments[0])) throw new RealtimeRegistrationError(`Topic pattern "${pattern}" must start with a literal (its family)`);
  const names = segments.flatMap((s) => ('param' in s ? [s.param] : []));
  if (new Set(names).size !== names.length) throw new RealtimeRegistrationError(`Topic pattern "${pattern}" repeats a parameter name`);
  return { pattern, segments };
}

/** The parameters when `topic` matches, else null. */
export function matchPattern(compiled: CompiledPattern, topic: string): Record<string, string> | null {
  const parts = topic.split(':');
  if (parts.length !== compiled.segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const segment = compiled.segments[i];
    if ('literal' in segment) {
      if (segment.literal !== parts[i]) return null;
    } else {
      params[segment.param] = parts[i];
    }
  }
  return params;
}

/** Whether some topic could match both patterns (then the registry could not tell whose it is). */
export function patternsOverlap(a: CompiledPattern, b: CompiledPattern): boolean {
  if (a.segments.length !== b.segments.length) return false;
  return a.segments.every((s, i) => {
    const t = b.segments[i];
    return !('literal' in s && 'literal' in t && s.literal !== t.literal);
  });
}
