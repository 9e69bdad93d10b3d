import { DomainException } from '@app/common';
import { PasswordPolicy } from './password-policy';

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy();

  it.each(['Quiet-lantern-orbit-97', 'correct horse battery staple mirage', 'Tz8#vQ1!mB4@xR'])('accepts a strong password: %s', (pw) => {
    expect(policy.problems(pw, { email: 'camille.martin@example.org', displayName: 'Camille Martin' })).toEqual([]);
  });

  it('refuses passwords shorter than 10 characters', () => {
    expect(policy.problems('Xq7#p2!z')).toEqual(['password must be at least 10 characters long']);
  });

  it('refuses passwords longer than 256 characters', () => {
    expect(policy.problems('a'.repeat(257))[0]).toMatch(/at most 256/);
  });

  it.each(['password1234', '1234567890', 'azertyuiop', 'qwertyuiop123', 'motdepasse123', 'soleil123456', 'iloveyou2024'])(
    'refuses a common or guessable password: %s',
    (pw) => {
      const problems = policy.problems(pw);
      expect(problems[0]).toBe('password is too easy to guess');
    },
  );

  it('explains why, with zxcvbn feedback', () => {
    const problems = policy.problems('password1234');
    expect(problems.length).toBeGreaterThan(1);
  });

  it('refuses a password containing the email local part or the name', () => {
    const owner = { email: 'jean.dupont@example.org', displayName: 'Marguerite Lemaire' };
    expect(policy.problems('my-jean.dupont-Secret-99', owner)).toEqual(['password must not contain your email address or your name']);
    expect(policy.problems('Dupont-Zebra-Quartz-17', owner)).toEqual(['password must not contain your email address or your name']);
    expect(policy.problems('xMARGUERITE-loves-ropes-4', owner)).toEqual(['password must not contain your email address or your name']);
    expect(policy.problems('Quiet-lantern-orbit-97', owner)).toEqual([]);
  });

  it('throws a 400 naming the password field', () => {
    let caught: unknown;
    try {
      policy.assertAcceptable('password1234');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainException);
    expect(caught).toMatchObject({ code: 'VALIDATION_FAILED', kind: 'invalid', fieldErrors: expect.arrayContaining([expect.objectContaining({ field: 'password', code: 'WEAK_PASSWORD' })]) });
  });
});
