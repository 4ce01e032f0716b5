import { describeWithRedis, testRedis } from '../support/redis.js';

describeWithRedis('test Redis', () => {
  it('answers PING', async () => {
    const client = testRedis();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});
