import { answerProblems, Question, questionnaireProblems, visibleQuestions } from './questions';
import { localizeError, ValidationError } from '@app/common';
import './surveys.errors';

const questions: Question[] = [
  { id: 'q1', type: 'single_choice', label: 'Do you cycle?', required: true, options: [{ code: 'yes', label: 'Yes' }, { code: 'no', label: 'No' }] },
  { id: 'q2', type: 'multiple_choice', label: 'Where?', required: true, options: [{ code: 'a', label: 'A' }, { code: 'b', label: 'B' }, { code: 'c', label: 'C' }], min: 2, max: 2, showIf: { question: 'q1', anyOf: ['yes'] } },
  { id: 'q3', type: 'scale', label: 'Safety', required: true, scale: '0-10', showIf: { question: 'q2', anyOf: ['a'] } },
  { id: 'q4', type: 'ranking', label: 'Rank', required: false, options: [{ code: 'x', label: 'X' }, { code: 'y', label: 'Y' }] },
  { id: 'q5', type: 'short_text', label: 'Name a street', required: false },
];

describe('questions', () => {
  it('accepts a well-formed questionnaire and names what is wrong in another', () => {
    expect(questionnaireProblems(questions)).toEqual([]);
    const bad: Question[] = [
      { id: 'a', type: 'single_choice', label: 'A', required: true, options: [{ code: 'x', label: 'X' }] },
      { id: 'a', type: 'scale', label: 'B', required: true },
      { id: 'c', type: 'short_text', label: 'C', required: true, showIf: { question: 'zz', anyOf: ['x'] } },
      { id: 'd', type: 'long_text', label: 'D', required: true, showIf: { question: 'a', anyOf: ['nope'] } },
    ];
    expect(questionnaireProblems(bad).map((p) => p.field)).toEqual(['questions.0.options', 'questions.1.id', 'questions.1.scale', 'questions.2.showIf.question', 'questions.3.showIf.question']);
  });

  it('shows conditional questions along the chain', () => {
    expect([...visibleQuestions(questions, { q1: 'no' })]).toEqual(['q1', 'q4', 'q5']);
    expect([...visibleQuestions(questions, { q1: 'yes', q2: ['a', 'b'] })]).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    // q2 hidden → q3 hidden even if q2 holds "a".
    expect(visibleQuestions(questions, { q1: 'no', q2: ['a'] }).has('q3')).toBe(false);
  });

  it('names the question of every bad answer', () => {
    const problems = answerProblems(questions, { q1: 'maybe', q4: ['x', 'x'], q5: '  ', zz: 1 } as never, false);
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['answers.q1', 'INVALID_ANSWER'],
      ['answers.q4', 'INVALID_ANSWER'],
      ['answers.q5', 'INVALID_ANSWER'],
      ['answers.zz', 'UNKNOWN_QUESTION'],
    ]);
    expect(answerProblems(questions, { q1: 'no', q3: 5 }, false).map((p) => [p.field, p.code])).toEqual([['answers.q3', 'QUESTION_NOT_SHOWN']]);
    expect(answerProblems(questions, { q1: 'yes', q2: ['a', 'b', 'c'] }, false).map((p) => p.message)).toEqual(['question q2: at most 2 options']);
    expect(answerProblems(questions, { q1: 'yes', q2: ['a'], q3: 11 }, false).map((p) => p.field)).toEqual(['answers.q3']);
  });

  it('on a submission, wants every shown required question and the minimums', () => {
    expect(answerProblems(questions, { q1: 'yes', q2: ['a'] }, false)).toEqual([]);
    expect(answerProblems(questions, { q1: 'yes', q2: ['a'] }, true).map((p) => [p.field, p.code])).toEqual([
      ['answers.q2', 'INVALID_ANSWER'],
      ['answers.q3', 'ANSWER_REQUIRED'],
    ]);
    expect(answerProblems(questions, { q1: 'no' }, true)).toEqual([]);
  });
});

describe('answer problems in French', () => {
  it('name the question in either language', () => {
    const error = new ValidationError('Invalid answers', [
      { field: 'answers.q9', code: 'UNKNOWN_QUESTION', params: { id: 'q9' }, message: 'there is no question q9 in this survey' },
      { field: 'answers.q2', code: 'ANSWER_REQUIRED', params: { id: 'q2' }, message: 'question q2 needs an answer' },
    ]);
    expect(localizeError(error, 'fr').details).toEqual([
      { field: 'answers.q9', code: 'UNKNOWN_QUESTION', message: "il n'y a pas de question q9 dans ce questionnaire" },
      { field: 'answers.q2', code: 'ANSWER_REQUIRED', message: 'la question q2 demande une réponse' },
    ]);
    expect(localizeError(error, 'en').details).toEqual([
      { field: 'answers.q9', code: 'UNKNOWN_QUESTION', message: 'there is no question q9 in this survey' },
      { field: 'answers.q2', code: 'ANSWER_REQUIRED', message: 'question q2 needs an answer' },
    ]);
  });
});
