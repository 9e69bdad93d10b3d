/**
 * The survey shapes the screens read (the API's routes return them untyped in the OpenAPI
 * document) and the display conditions, as libs/surveys/src/questions.ts applies them.
 */
export interface SurveyQuestion {
  id: string;
  type: 'single_choice' | 'multiple_choice' | 'scale' | 'ranking' | 'short_text' | 'long_text';
  label: string;
  required: boolean;
  options?: Array<{ code: string; label: string }>;
  min?: number;
  max?: number;
  scale?: '1-5' | '0-10';
  showIf?: { question: string; anyOf: string[] };
}

export interface Survey {
  id: string;
  title: string;
  description: string;
  questions: SurveyQuestion[];
  anonymous: boolean;
  resultsPublic: boolean;
  closesAt: string;
  state: 'scheduled' | 'open' | 'closed';
}

export type Answer = string | string[] | number;
export type Answers = Record<string, Answer>;

export interface OptionCount {
  code: string;
  label: string;
  count: number;
  percent: number;
}

export interface QuestionResult {
  id: string;
  type: SurveyQuestion['type'];
  label: string;
  answered: number;
  options?: OptionCount[];
  scale?: { mean: number | null; distribution: Array<{ value: number; count: number; percent: number }> };
  ranking?: { borda: Array<{ code: string; label: string; points: number }>; firstChoice: OptionCount[] };
  texts?: string[];
}

export interface SurveyResults {
  responses: number;
  state: string;
  questions: QuestionResult[];
}

export const scaleValues = (q: SurveyQuestion): number[] => (q.scale === '0-10' ? Array.from({ length: 11 }, (_, i) => i) : [1, 2, 3, 4, 5]);

/** Questions shown given the answers: a condition on a hidden question hides its dependants. */
export function visibleQuestions(questions: SurveyQuestion[], answers: Answers): SurveyQuestion[] {
  const shown = new Set<string>();
  return questions.filter((q) => {
    if (q.showIf) {
      if (!shown.has(q.showIf.question)) return false;
      const given = answers[q.showIf.question];
      const chosen = Array.isArray(given) ? given : typeof given === 'string' ? [given] : [];
      if (!chosen.some((c) => q.showIf!.anyOf.includes(c))) return false;
    }
    shown.add(q.id);
    return true;
  });
}

/** The answers of the shown questions only (a hidden question's answer would be refused). */
export function shownAnswers(questions: SurveyQuestion[], answers: Answers): Answers {
  const out: Answers = {};
  for (const q of visibleQuestions(questions, answers)) {
    const a = answers[q.id];
    if (a === undefined || a === '' || (Array.isArray(a) && a.length === 0)) continue;
    out[q.id] = a;
  }
  return out;
}
