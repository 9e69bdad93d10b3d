import { foldText, matchHeldWords, normalizeHeldWords } from './held-words';

describe('held words', () => {
  it('folds accents and case both ways: "éclairage" in the list matches "eclairage", and the other way round', () => {
    expect(matchHeldWords('Encore un problème d’eclairage rue Nationale', ['éclairage'])).toEqual(['éclairage']);
    expect(matchHeldWords("L'ÉCLAIRAGE est en panne", ['eclairage'])).toEqual(['eclairage']);
    expect(matchHeldWords('Éclairage', ['ÉCLAIRAGE'])).toEqual(['ÉCLAIRAGE']);
    // Composed (é) and decomposed (e + ́) spellings are one word.
    expect(matchHeldWords('e\u0301clairage', ['\u00e9clairage'])).toHaveLength(1);
  });

  it('matches whole words only', () => {
    expect(matchHeldWords('une contre-proposition, économie', ['con', 'eco'])).toEqual([]);
    expect(matchHeldWords('quel con!', ['con'])).toEqual(['con']);
    expect(matchHeldWords('con.', ['con'])).toEqual(['con']);
    expect(matchHeldWords('éclairages', ['éclairage'])).toEqual([]);
  });

  it('matches an entry of several words only when they follow each other', () => {
    expect(matchHeldWords('un gros   mot ici', ['gros mot'])).toEqual(['gros mot']);
    expect(matchHeldWords('gros et mot', ['gros mot'])).toEqual([]);
  });

  it('spells ligatures out and keeps non-Latin scripts', () => {
    expect(foldText('Œuvre')).toBe('oeuvre');
    expect(matchHeldWords('Une oeuvre', ['œuvre'])).toEqual(['œuvre']);
    expect(matchHeldWords('Привет мир', ['привет'])).toEqual(['привет']);
  });

  it('normalises a list: trims, collapses spaces, drops entries that fold to one already there', () => {
    expect(normalizeHeldWords(['  Éclairage ', 'eclairage', 'gros   mot', '!!!', 'ECLAIRAGE'])).toEqual(['Éclairage', 'gros mot']);
  });
});
