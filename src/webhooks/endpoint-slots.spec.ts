import { EndpointSlots } from './endpoint-slots.js';

describe('EndpointSlots', () => {
  it('lets perEndpoint through per endpoint, the rest wait in order', async () => {
    const slots = new EndpointSlots(2);
    const order: string[] = [];
    await slots.acquire('a');
    await slots.acquire('a');
    const third = slots.acquire('a').then(() => order.push('third'));
    const fourth = slots.acquire('a').then(() => order.push('fourth'));
    // Another endpoint is not held up by a full one.
    await slots.acquire('b');
    expect(slots.saturated()).toEqual(['a']);
    expect(slots.release('a')).toBe(false); // passed to the third
    await third;
    expect(slots.release('a')).toBe(false); // passed to the fourth
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect(slots.release('a')).toBe(true);
    expect(slots.saturated()).toEqual([]);
    expect(slots.release('a')).toBe(true);
    expect(slots.release('b')).toBe(true);
    await slots.acquire('a');
    await slots.acquire('a');
    expect(slots.saturated()).toEqual(['a']);
  });
});
