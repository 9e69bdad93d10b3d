import { PostServiceRequestDto, ServiceRequestsQueryDto } from './dto/open311.dto';
import { collectAttributes, joinRepeated, validateOpen311, withoutEmpty } from './open311-input';
import { Open311Error } from './open311.errors';

describe('Open311 input', () => {
  it('treats empty parameters as absent', () => {
    expect(withoutEmpty({ lat: '', long: '3', email: null, description: 'x' })).toEqual({ long: '3', description: 'x' });
    expect(withoutEmpty(undefined)).toEqual({});
  });

  it('collects attribute[code] from the parsed form and from flat JSON keys', () => {
    expect(collectAttributes({ attribute: { size: 's', sides: ['n', 's'], depth: 12 } })).toEqual({ size: 's', sides: ['n', 's'], depth: '12' });
    expect(collectAttributes({ 'attribute[size]': 'l', 'attribute[sides][]': 'n', attribute: 'junk' })).toEqual({ size: 'l', sides: ['n'] });
    expect(collectAttributes({ attribute: { size: '' } })).toEqual({});
  });

  it('joins repeated list parameters', () => {
    expect(joinRepeated({ status: ['open', 'closed'], other: ['a'] }, ['status'])).toEqual({ status: 'open,closed', other: ['a'] });
  });

  it('converts coordinates, ignores unknown parameters and reports each problem once', () => {
    const dto = validateOpen311(PostServiceRequestDto, { service_code: 'pothole', lat: '50.6', long: '3.06', token: 'extension' });
    expect(dto).toMatchObject({ service_code: 'pothole', lat: 50.6, long: 3.06 });
    expect((dto as unknown as Record<string, unknown>).token).toBeUndefined();

    let error: Open311Error | undefined;
    try {
      validateOpen311(PostServiceRequestDto, { lat: '91', long: 'east', email: 'nope', media_url: 'file:///etc/passwd', description: 'x'.repeat(4001) });
    } catch (e) {
      error = e as Open311Error;
    }
    expect(error).toBeInstanceOf(Open311Error);
    expect(error!.status).toBe(400);
    expect(error!.descriptions).toEqual(
      expect.arrayContaining(['service_code was not provided', 'lat must not be greater than 90', 'long must be a number', 'media_url must be an http or https URL']),
    );
    expect(error!.descriptions).toHaveLength(6);
  });

  it('checks the list filters', () => {
    expect(() => validateOpen311(ServiceRequestsQueryDto, { status: 'open,closed', service_request_id: '1, 2,3' })).not.toThrow();
    expect(() => validateOpen311(ServiceRequestsQueryDto, { status: 'pending' })).toThrow(Open311Error);
    expect(() => validateOpen311(ServiceRequestsQueryDto, { service_request_id: '1,abc' })).toThrow(Open311Error);
  });
});
