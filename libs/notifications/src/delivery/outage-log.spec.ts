import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  it('says one line when an outage starts and one when it ends, whatever the attempts in between', () => {
    const lines: string[] = [];
    const logger = { warn: (m: string) => lines.push(`warn ${m}`), log: (m: string) => lines.push(`info ${m}`) };
    let now = 0;
    const outage = new OutageLog(logger, 'SMTP relay smtp://relay', 'retried for 48 h', () => now);
    outage.succeeded();
    expect(lines).toEqual([]);
    for (let i = 0; i < 500; i++) outage.failed(new Error('connect ECONNREFUSED'));
    expect(lines).toEqual(['warn SMTP relay smtp://relay is failing (connect ECONNREFUSED); retried for 48 h']);
    now = 3 * 3_600_000;
    outage.succeeded();
    outage.succeeded();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('info SMTP relay smtp://relay works again after about 180 min; 500 send(s) failed and are being retried');
    outage.failed(new Error('451'));
    expect(lines).toHaveLength(3);
  });
});
