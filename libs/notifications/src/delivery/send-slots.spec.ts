import { SendSlots } from './send-slots';

describe('SendSlots', () => {
  it('lets `size` sends through at once and hands each freed slot to the longest waiting one', async () => {
    const slots = new SendSlots(2);
    const order: string[] = [];
    await slots.acquire();
    await slots.acquire();
    const third = slots.acquire().then(() => order.push('third'));
    const fourth = slots.acquire().then(() => order.push('fourth'));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual(['third']);
    slots.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    // Both slots held again (third, fourth); two releases free them for two new sends at once.
    slots.release();
    slots.release();
    let fifthIn = false;
    await slots.acquire().then(() => (fifthIn = true));
    await slots.acquire();
    expect(fifthIn).toBe(true);
  });
});
