import { Injectable } from '@nestjs/common';
import { ValidationError } from '@app/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import * as zxcvbnFr from '@zxcvbn-ts/language-fr';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
/** zxcvbn score below which a password is refused (0 = too guessable … 4 = very unguessable). */
export const PASSWORD_MIN_SCORE = 3;

/** Who the password belongs to: what an attacker would try first. */
export interface PasswordOwner {
  email?: string;
  displayName?: string;
}

/**
 * Our password rules: long enough, and not guessable as zxcvbn measures it against common, English
 * and French dictionaries plus the person's own email and name. Returns what is wrong (empty when
 * acceptable) so the caller can report it on the `password` field.
 */
@Injectable()
export class PasswordPolicy {
  // Building the ranked dictionaries costs tens of milliseconds: once per process.
  private static factory: ZxcvbnFactory | undefined;

  private get zxcvbn(): ZxcvbnFactory {
    PasswordPolicy.factory ??= new ZxcvbnFactory({
      dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, ...zxcvbnFr.dictionary },
      graphs: zxcvbnCommon.adjacencyGraphs,
      translations: zxcvbnEn.translations,
    });
    return PasswordPolicy.factory;
  }

  problems(password: string, owner: PasswordOwner = {}): string[] {
    if (password.length < PASSWORD_MIN_LENGTH) return [`password must be at least ${PASSWORD_MIN_LENGTH} characters long`];
    if (password.length > PASSWORD_MAX_LENGTH) return [`password must be at most ${PASSWORD_MAX_LENGTH} characters long`];

    const personal = personalWords(owner);
    const lower = password.toLowerCase();
    const contained = personal.find((word) => lower.includes(word));
    if (contained) return ['password must not contain your email address or your name'];

    const result = this.zxcvbn.check(password, personal);
    if (result.score >= PASSWORD_MIN_SCORE) return [];
    const feedback = [result.feedback.warning, ...result.feedback.suggestions].filter((m): m is string => !!m);
    return ['password is too easy to guess', ...feedback];
  }

  /** Throws a 400 naming the field (`password` unless said) when the password is not acceptable. */
  assertAcceptable(password: string, owner: PasswordOwner = {}, field = 'password'): void {
    const problems = this.problems(password, owner);
    if (problems.length > 0) {
      throw new ValidationError('Invalid password', problems.map((message) => ({ field, code: 'WEAK_PASSWORD', message })));
    }
  }
}

/** The email's local part and the words of the display name, when long enough to matter. */
function personalWords(owner: PasswordOwner): string[] {
  const words = new Set<string>();
  const local = owner.email?.split('@')[0]?.toLowerCase().trim();
  if (local && local.length >= 3) {
    words.add(local);
    for (const part of local.split(/[._+-]+/)) if (part.length >= 4) words.add(part);
  }
  const name = owner.displayName?.toLowerCase().trim();
  if (name && name.length >= 3) {
    words.add(name);
    for (const part of name.split(/[\s._-]+/)) if (part.length >= 4) words.add(part);
  }
  return [...words];
}
