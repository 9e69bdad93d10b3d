import type { FieldError } from '@app/common';

export const QUESTION_TYPES = ['single_choice', 'multiple_choice', 'scale', 'ranking', 'short_text', 'long_text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const SCALES = ['1-5', '0-10'] as const;
export type ScaleKind = (typeof SCALES)[number];
export const SHORT_TEXT_MAX = 300;
export const LONG_TEXT_MAX = 5000;

export interface QuestionOption {
  code: string;
  label: string;
}

/** Shown only when an earlier choice question's answer holds one of `anyOf` (show Q3 if Q2 = "yes"). */
export interface DisplayCondition {
  question: string;
  anyOf: string[];
}

export interface Question {
  /** Stable code, unique in the survey: answers and results are keyed by it. */
  id: string;
  type: QuestionType;
  label: string;
  required: boolean;
  /** single_choice, multiple_choice, ranking. */
  options?: QuestionOption[];
  /** multiple_choice: how many options may be chosen (checked on submit for `min`). */
  min?: number;
  max?: number;
  scale?: ScaleKind;
  showIf?: DisplayCondition;
}

/** single: option code; multiple and ranking: option codes (ranking in order, most preferred first); scale: integer; texts: string. */
export type Answer = string | string[] | number;
export type Answers = Record<string, Answer>;

const CHOICE_TYPES: QuestionType[] = ['single_choice', 'multiple_choice', 'ranking'];
export const isChoice = (q: Question): boolean => CHOICE_TYPES.includes(q.type);
export const scaleRange = (q: Question): [number, number] => (q.scale === '0-10' ? [0, 10] : [1, 5]);

/** What the DTO cannot say about a questionnaire: codes unique, options where needed, conditions on earlier choice questions. */
export function questionnaireProblems(questions: Question[]): FieldError[] {
  const problems: FieldError[] = [];
  const seen = new Map<string, Question>();
  questions.forEach((q, i) => {
    const at = (field: string, message: string, code = 'INVALID') => problems.push({ field: `questions.${i}.${field}`, code, message });
    if (seen.has(q.id)) at('id', `question id ${q.id} is used twice`);
    const options = q.options ?? [];
    if (isChoice(q)) {
      if (options.length < 2) at('options', `${q.type} needs at least 2 options`);
      if (new Set(options.map((o) => o.code)).size !== options.length) at('options', 'option codes must be unique');
    } else if (q.options !== undefined) at('options', `${q.type} takes no options`);
    if (q.type === 'scale' && !q.scale) at('scale', 'scale questions need a scale (1-5 or 0-10)');
    if (q.type !== 'scale' && q.scale !== undefined) at('scale', 'only scale questions take a scale');
    if (q.type === 'multiple_choice') {
      const min = q.min ?? 0;
      const max = q.max ?? options.length;
      if (min > max) at('min', 'min must not exceed max');
      if (max > options.length) at('max', 'max must not exceed the number of options');
    } else if (q.min !== undefined || q.max !== undefined) at('min', 'only multiple_choice questions take min and max');
    if (q.showIf) {
      const target = seen.get(q.showIf.question);
      if (!target) at('showIf.question', 'a condition refers to an earlier question');
      else if (target.type !== 'single_choice' && target.type !== 'multiple_choice') at('showIf.question', 'a condition refers to a single or multiple choice question');
      else {
        const codes = new Set(target.options!.map((o) => o.code));
        const unknown = q.showIf.anyOf.filter((c) => !codes.has(c));
        if (unknown.length) at('showIf.anyOf', `not options of ${target.id}: ${unknown.join(', ')}`);
      }
    }
    seen.set(q.id, q);
  });
  return problems;
}

/** The questions shown given these answers, in order: a question whose condition's question is hidden is hidden too. */
export function visibleQuestions(questions: Question[], answers: Answers): Set<string> {
  const visible = new Set<string>();
  for (const q of questions) {
    if (!q.showIf) {
      visible.add(q.id);
      continue;
    }
    if (!visible.has(q.showIf.question)) continue;
    const given = answers[q.showIf.question];
    const chosen = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
    if (chosen.some((c) => q.showIf!.anyOf.includes(c))) visible.add(q.id);
  }
  return visible;
}

function answerProblem(q: Question, a: unknown, complete: boolean): string | null {
  const codes = new Set((q.options ?? []).map((o) => o.code));
  const codeList = (value: unknown): string[] | null =>
    Array.isArray(value) && value.every((c) => typeof c === 'string' && codes.has(c)) && new Set(value).size === value.length ? (value as string[]) : null;
  switch (q.type) {
    case 'single_choice':
      return typeof a === 'string' && codes.has(a) ? null : `must be one of: ${[...codes].join(', ')}`;
    case 'multiple_choice': {
      const list = codeList(a);
      if (!list) return `must be a list of distinct options among: ${[...codes].join(', ')}`;
      const max = q.max ?? codes.size;
      if (list.length > max) return `at most ${max} options`;
      if (complete && list.length < (q.min ?? 0)) return `at least ${q.min} options`;
      return null;
    }
    case 'ranking': {
      const list = codeList(a);
      if (!list || list.length === 0) return `must rank distinct options among: ${[...codes].join(', ')}, most preferred first`;
      return null;
    }
    case 'scale': {
      const [lo, hi] = scaleRange(q);
      return typeof a === 'number' && Number.isInteger(a) && a >= lo && a <= hi ? null : `must be a whole number from ${lo} to ${hi}`;
    }
    case 'short_text':
    case 'long_text': {
      const max = q.type === 'short_text' ? SHORT_TEXT_MAX : LONG_TEXT_MAX;
      if (typeof a !== 'string' || a.trim() === '') return 'must be a non-empty text';
      return a.length > max ? `at most ${max} characters` : null;
    }
  }
}

/**
 * Answers checked against the questions and their conditions: known questions only, each of the
 * right shape, none to a hidden question; when `complete` (a submission), every shown required
 * question answered and multiple choices' minimums met. Each problem names `answers.<question>`.
 */
export function answerProblems(questions: Question[], answers: Answers, complete: boolean): FieldError[] {
  const problems: FieldError[] = [];
  const byId = new Map(questions.map((q) => [q.id, q]));
  const visible = visibleQuestions(questions, answers);
  for (const [id, a] of Object.entries(answers)) {
    const q = byId.get(id);
    if (!q) {
      problems.push({ field: `answers.${id}`, code: 'UNKNOWN_QUESTION', params: { id }, message: `there is no question ${id} in this survey` });
      continue;
    }
    if (!visible.has(id)) {
      problems.push({ field: `answers.${id}`, code: 'QUESTION_NOT_SHOWN', params: { id }, message: `question ${id} is not shown given the other answers` });
      continue;
    }
    const problem = answerProblem(q, a, complete);
    if (problem) problems.push({ field: `answers.${id}`, code: 'INVALID_ANSWER', params: { id }, message: `question ${id}: ${problem}` });
  }
  if (complete) {
    for (const q of questions) {
      if (q.required && visible.has(q.id) && answers[q.id] === undefined) {
        problems.push({ field: `answers.${q.id}`, code: 'ANSWER_REQUIRED', params: { id: q.id }, message: `question ${q.id} needs an answer` });
      }
    }
  }
  return problems;
}
