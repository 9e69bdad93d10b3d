import { createHash } from 'node:crypto';
import { ballotSeal } from './budget-tally';

describe('the ballot seal (libs/common SecretSeal with budgets\' labels)', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const seal = ballotSeal(secret);
  const choice = { projects: ['project-a', 'project-b'] };

  it('opens what it sealed for the same budget, and the sealed text shows nothing of the choice', () => {
    const sealed = seal.seal(choice, 'budget-1');
    expect(seal.open(sealed, 'budget-1')).toEqual(choice);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('project-a');
    // A fresh IV each time: two identical ballots do not look alike.
    expect(seal.seal(choice, 'budget-1')).not.toBe(sealed);
  });

  it('refuses a ballot moved to another budget', () => {
    const sealed = seal.seal(choice, 'budget-1');
    expect(() => seal.open(sealed, 'budget-2')).toThrow();
  });

  it("cannot be opened without the app's secret", () => {
    const sealed = seal.seal(choice, 'budget-1');
    expect(() => ballotSeal('another-secret-of-thirty-two-characters').open(sealed, 'budget-1')).toThrow();
  });

  it("keys the receipt lookup by the secret and the budget, so the receipt's public hash never matches it", () => {
    const receipt = 'receipt-123';
    const lookup = seal.lookup(receipt, 'budget-1');
    expect(lookup).toBe(seal.lookup(receipt, 'budget-1'));
    expect(lookup).not.toBe(createHash('sha256').update(receipt).digest('hex'));
    expect(lookup).not.toBe(seal.lookup(receipt, 'budget-2'));
    expect(lookup).not.toBe(ballotSeal('another-secret-of-thirty-two-characters').lookup(receipt, 'budget-1'));
  });
});
