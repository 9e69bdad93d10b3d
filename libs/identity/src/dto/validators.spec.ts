import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CreateMunicipalityDto, LocateQueryDto } from './municipality.dto';
import { isIanaTimeZone } from './validators';

describe('isIanaTimeZone', () => {
  it.each(['Europe/Paris', 'UTC', 'Etc/UTC', 'GMT', 'America/Argentina/Buenos_Aires', 'Etc/GMT+1', 'Pacific/Chatham'])('accepts %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  it.each(['europe/paris', 'Europe/paris', 'Mars/Olympus_Mons', '+01:00', 'CET ', '', 'Europe/Paris/Extra/Deep', 'x'.repeat(65), 1, null])(
    'refuses %p',
    (zone) => {
      expect(isIanaTimeZone(zone)).toBe(false);
    },
  );
});

describe('municipality DTO validation', () => {
  const valid = { slug: 'la-madeleine', name: 'La Madeleine', timezone: 'Europe/Paris', locale: 'fr' };

  async function fieldsAtFault(cls: new () => object, plain: object): Promise<string[]> {
    const errors = await validate(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true });
    return errors.map((e) => e.property);
  }

  it('accepts a minimal municipality and upper-cases the country code', async () => {
    expect(await fieldsAtFault(CreateMunicipalityDto, valid)).toEqual([]);
    expect(plainToInstance(CreateMunicipalityDto, { ...valid, countryCode: 'be' }).countryCode).toBe('BE');
  });

  it('explains what is wrong with a boundary', async () => {
    const errors = await validate(
      plainToInstance(CreateMunicipalityDto, { ...valid, boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } }),
    );
    expect(errors.map((e) => e.property)).toEqual(['boundary']);
    expect(Object.values(errors[0].constraints!)).toEqual(['boundary: each linear ring must be closed']);
  });

  it('reads query-string numbers, and refuses empty ones rather than reading 0', async () => {
    expect(plainToInstance(LocateQueryDto, { lat: '50.63', lng: '3.06' })).toMatchObject({ lat: 50.63, lng: 3.06 });
    expect(await fieldsAtFault(LocateQueryDto, { lat: '', lng: '3' })).toEqual(['lat']);
    expect(await fieldsAtFault(LocateQueryDto, { lat: ['1', '2'], lng: '3' })).toEqual(['lat']);
  });
});
