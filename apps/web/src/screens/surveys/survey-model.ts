import type { Schemas } from '../../api/client';

/**
 * The survey shapes the screens read, from the OpenAPI document (libs/surveys/src/dto/
 * survey-response.dto.ts: a changed answer breaks this app's build), and the display conditions,
 * as libs/surveys/src/questions.ts applies them.
 */
export type SurveyQuestion = Schemas['QuestionResponseDto'];
export type Survey = Schemas['SurveyResponseDto'];
export type SavedAnswers = Schemas['SavedAnswersDto'];

export type Answer = string | string[] | number;
export type Answers = Record<string, Answer>;

export type OptionCount = Schemas['OptionCountDto'];
export type QuestionResult = Schemas['QuestionResultDto'];
export type SurveyResults = Schemas['SurveyResultsDto'];

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
