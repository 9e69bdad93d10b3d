import { createHash } from 'node:crypto';
import { BallotSeal } from './ballot-seal';

describe('BallotSeal', () => {
  const secret = 'a-secret-of-at-least-thirty-two-characters';
  const seal = new BallotSeal(secret);
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
    expect(() => new BallotSeal('another-secret-of-thirty-two-characters').open(sealed, 'budget-1')).toThrow();
  });

  it("keys the receipt lookup by the secret and the budget, so the receipt's public hash never matches it", () => {
    const receipt = 'receipt-123';
    const lookup = seal.receiptLookup(receipt, 'budget-1');
    expect(lookup).toBe(seal.receiptLookup(receipt, 'budget-1'));
    expect(lookup).not.toBe(createHash('sha256').update(receipt).digest('hex'));
    expect(lookup).not.toBe(seal.receiptLookup(receipt, 'budget-2'));
    expect(lookup).not.toBe(new BallotSeal('another-secret-of-thirty-two-characters').receiptLookup(receipt, 'budget-1'));
  });
});
